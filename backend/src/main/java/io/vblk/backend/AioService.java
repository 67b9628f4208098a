package io.vblk.backend;

import java.util.ArrayDeque;

/**
 * aio mode: every request enters the pipeline as it arrives, up to {@code limit} in service per queue
 * (max-inflight) and while the connection is writable; the rest wait here in arrival order. Event-loop
 * confined: completions from other threads hop back to it; one that completes inline while {@link #admit}
 * submits (a RAM store) is answered right after that submission, without a hop.
 */
final class AioService implements ServicePolicy {
    private final Virtqueue vq;
    private final Pipeline pipeline;
    private final int limit;
    private final ArrayDeque<IoRequest> waiting = new ArrayDeque<>();
    // completed on this loop during admit's submission, answered by admit before it submits the next
    private final ArrayDeque<IoRequest> completedInline = new ArrayDeque<>();
    private boolean admitting;
    private int inService;
    private boolean awaitingRoom;
    private boolean closed;

    AioService(Virtqueue vq, Pipeline pipeline, int limit) {
        this.vq = vq;
        this.pipeline = pipeline;
        this.limit = limit;
    }

    @Override
    public void arrived(IoRequest r) {
        waiting.addLast(r);
        admit();
    }

    @Override
    public void completed(IoRequest r) {
        if (admitting && vq.eventLoop().inEventLoop()) {
            completedInline.addLast(r);
            return;
        }
        vq.onLoop(r, () -> {
            answer(r);
            admit();
        });
    }

    private void answer(IoRequest r) {
        inService--;
        vq.reply(r);
    }

    @Override
    public void writabilityChanged() {
        admit();
    }

    @Override
    public void close() {
        closed = true;
        IoRequest r;
        while ((r = waiting.pollFirst()) != null) {
            r.discard();
        }
    }

    // while the client is not taking its replies, requests wait here rather than become replies nobody reads;
    // those already in service still finish, so replies overshoot the high water mark by at most max-inflight
    private void admit() {
        // a reply can re-enter admit (writability changes inside the write); the outer call keeps its flag
        boolean outer = admitting;
        admitting = true;
        try {
            while (!closed && !awaitingRoom && inService < limit && !waiting.isEmpty() && vq.writable()) {
                IoRequest r = waiting.pollFirst();
                // counted before the submission, which may complete it inline
                inService++;
                if (pipeline.trySubmit(r, this::roomLater)) {
                    vq.inService(inService);
                } else {
                    inService--;
                    waiting.addFirst(r);
                    awaitingRoom = true;
                }
                IoRequest done;
                while ((done = completedInline.pollFirst()) != null) {
                    answer(done);
                }
            }
        } finally {
            admitting = outer;
        }
    }

    private void roomLater() {
        try {
            vq.eventLoop().execute(() -> {
                awaitingRoom = false;
                admit();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the backend is closing: close() has dropped what was waiting here
        }
    }
}
