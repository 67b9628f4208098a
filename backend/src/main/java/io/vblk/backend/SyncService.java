package io.vblk.backend;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * sync mode, the 2008 virtio backend: one dedicated worker per queue takes a request, waits for it to
 * complete, replies, and only then takes the next. At most one request of the queue is in service, ever.
 * The worker blocks; the event loop never does.
 */
final class SyncService implements ServicePolicy {
    private final Virtqueue vq;
    private final Pipeline pipeline;
    private final LinkedBlockingQueue<IoRequest> arrivals = new LinkedBlockingQueue<>();
    // released once per event the worker waits for: room in the scheduler, or its request's completion
    private final Semaphore signal = new Semaphore(0);
    private final Thread worker;
    private volatile boolean closed;

    SyncService(Virtqueue vq, Pipeline pipeline) {
        this.vq = vq;
        this.pipeline = pipeline;
        this.worker = new Thread(this::serve, "vblk-sync-" + vq.device().name() + "-q" + vq.index());
        this.worker.setDaemon(true);
        this.worker.start();
    }

    @Override
    public void arrived(IoRequest r) {
        arrivals.add(r);
    }

    @Override
    public void completed(IoRequest r) {
        signal.release();
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }

    private void serve() {
        IoRequest unsubmitted = null;
        try {
            while (!closed) {
                IoRequest r = arrivals.take();
                unsubmitted = r;
                vq.inService(1);
                while (!pipeline.trySubmit(r, signal::release)) {
                    signal.acquire();
                }
                unsubmitted = null;
                signal.acquireUninterruptibly();
                vq.onLoop(r, () -> vq.reply(r));
            }
        } catch (InterruptedException e) {
            // closed while waiting for work or for room: only the unsubmitted request is ours to drop
        } finally {
            if (unsubmitted != null) {
                unsubmitted.discard();
            }
            IoRequest r;
            while ((r = arrivals.poll()) != null) {
                r.discard();
            }
        }
    }
}
