package io.vblk.vhost;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.EventExecutor;
import io.vblk.backend.AttachedQueue;
import io.vblk.backend.CompletionSink;
import io.vblk.backend.Exports;
import io.vblk.backend.MemoryBudget;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.ProtocolException;
import io.vblk.protocol.VirtioBlk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running vring of a vhost-user device, on one event loop: a guest's kick wakes it through its eventfd;
 * it pops as many chains as the device's mode takes into service (one in sync mode, up to max-in-service in
 * aio mode), so that the rest stay where the driver put them; each is a request on the one request path,
 * whose answer this ring's sink writes back: data, status byte, used ring entry, then the call eventfd.
 * A chain that breaks the rules stops the ring for good and marks the device broken; requests already in
 * service still finish (their answers are dropped). Confined to its loop, except {@link #stop} and
 * {@link #signalsChanged}, which hand over to it and wait.
 */
final class Vring implements CompletionSink, EpollIoHandle {
    private static final Logger log = LoggerFactory.getLogger(Vring.class);
    /** How long a stop waits for the requests in service before it gives up on them (their answers are then dropped). */
    static final long STOP_WAIT_MS = 60_000;

    /** What a ring tells its device. */
    interface Owner {
        /** The ring broke the rules; {@code why} names the rule. Any thread. */
        void broke(int index, String why);
    }

    private final String name;
    private final int index;
    private final IoEventLoop loop;
    private final SplitQueue queue;
    private final GuestMemory memory;
    private final FileDescriptor kick;
    private final ByteBufAllocator alloc;
    private final long maxCopy;
    private final Owner owner;
    private final AttachedQueue attached;
    // the request data this ring's requests hold, against limits.max-connection-memory: over it, popping pauses
    private final MemoryBudget budget;
    // the loop's, all below
    private final BlkChain[] slots;
    private final boolean[] inFlight;
    private SplitQueue.Chain spare = new SplitQueue.Chain();
    private final ByteBuffer counter = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    private FileDescriptor call;
    private FileDescriptor err;
    private IoRegistration registration;
    // chains popped and not yet returned through the used ring (or dropped)
    private int popped;
    // the driver's chains outstanding on this ring when last looked at: reported to the device as it changes
    private int outstanding;
    private boolean draining;
    private boolean callPending;
    private boolean broken;
    private CompletableFuture<Integer> stopping;

    /**
     * Ring {@code index} of device {@code device}, with the {@code features} the driver acknowledged, as a
     * queue of the request path; call on {@code loop}, then {@link #start}. Its requests may hold up to
     * {@code maxMemory} bytes of data copied out of the guest before popping pauses.
     */
    Vring(String device, int index, IoEventLoop loop, SplitQueue queue, GuestMemory memory, long features,
          int kickFd, int callFd, int errFd, Exports exports, long maxMemory, Owner owner) {
        this.name = device;
        this.index = index;
        this.loop = loop;
        this.queue = queue;
        this.memory = memory;
        this.kick = new FileDescriptor(kickFd);
        this.call = callFd < 0 ? null : new FileDescriptor(callFd);
        this.err = errFd < 0 ? null : new FileDescriptor(errFd);
        this.alloc = PooledByteBufAllocator.DEFAULT;
        this.maxCopy = exports.blkConfig(device).maxTransfer();
        this.owner = owner;
        this.slots = new BlkChain[queue.size()];
        this.inFlight = new boolean[queue.size()];
        this.budget = new MemoryBudget(maxMemory, this::budgetCrossed);
        this.attached = exports.attach(device, index, features, queue.size(), this, budget);
    }

    // from any thread: below the budget again, popping may go on
    private void budgetCrossed() {
        try {
            loop.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // the backend is closing
        }
    }

    /** On the loop: listens for kicks, and pops what the driver made available before this start. */
    void start() {
        loop.register(this).addListener(f -> {
            if (!f.isSuccess()) {
                broke("cannot listen for kicks: " + f.cause());
                return;
            }
            registration = (IoRegistration) f.getNow();
            if (stopping != null || broken) {
                registration.cancel();
                return;
            }
            registration.submit(EpollIoOps.EPOLLIN);
            drain();
        });
    }

    @Override
    public FileDescriptor fd() {
        return kick;
    }

    /** A kick: clears the eventfd's counter, then pops. */
    @Override
    public void handle(IoRegistration r, IoEvent event) {
        try {
            kick.read(counter, 0, 8);
        } catch (IOException e) {
            broke("reading the kick eventfd: " + e.getMessage());
            return;
        }
        drain();
    }

    @Override
    public void close() {
        // the fds are the session's: it closes them once the ring has stopped
        if (registration != null) {
            registration.cancel();
        }
    }

    @Override
    public EventExecutor executor() {
        return loop;
    }

    @Override
    public boolean accepting() {
        // the used ring has a slot for every chain popped
        return true;
    }

    @Override
    public void answer(int q, int head, int status, int used, ByteBuf data) {
        try {
            inFlight[head] = false;
            popped--;
            if (!broken) {
                BlkChain c = slots[head];
                int filled = Math.min(used, c.inBytes());
                // read in place when the store filled the guest's own buffer (the view), else copied in now
                if (filled > 0 && data != c.view()) {
                    c.fill(memory, data, filled);
                }
                memory.putByte(c.statusAddr(), status == S_NO_SPACE ? VirtioBlk.S_IOERR : status);
                // the used length counts the bytes written into the chain, the status byte among them
                queue.push(head, filled + 1);
                callPending = true;
            }
        } catch (GuestMemory.Fault | SplitQueue.Fault e) {
            broke(e.getMessage());
        } finally {
            data.release();
        }
        if (!draining) {
            drain();
        }
    }

    /** Pops while the mode has room and the budget allows; then signals the guest once for what was returned. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (stopping == null && !broken && !budget.over() && attached.room() > 0 && queue.pop(spare)) {
                int head = spare.head();
                if (inFlight[head]) {
                    throw new SplitQueue.Fault("chain " + head + " was made available again while in service");
                }
                BlkChain slot = slots[head];
                if (slot == null) {
                    slot = slots[head] = new BlkChain();
                }
                spare = slot.take(spare);
                BlkRequest req = slot.parse(memory, index, alloc, maxCopy);
                inFlight[head] = true;
                popped++;
                // may answer at once (a status the spec prescribes, or a RAM store), re-entering answer()
                attached.submit(req);
            }
        } catch (SplitQueue.Fault | GuestMemory.Fault | ProtocolException e) {
            broke(e.getMessage());
        } finally {
            draining = false;
        }
        signal();
        sample();
        if (stopping != null && popped == 0) {
            stopped();
        }
    }

    // after every kick and every answer: what the guest's driver has outstanding here
    private void sample() {
        int now = broken || stopping != null ? 0 : queue.outstanding();
        if (now != outstanding) {
            attached.driverOutstanding(now - outstanding);
            outstanding = now;
        }
    }

    private void signal() {
        if (!callPending || broken) {
            return;
        }
        callPending = false;
        if (call != null && queue.needsInterrupt()) {
            write(call, "call");
        }
    }

    private void write(FileDescriptor fd, String what) {
        counter.putLong(0, 1);
        try {
            fd.write(counter, 0, 8);
        } catch (IOException e) {
            log.debug("{}: vring {}: writing the {} eventfd: {}", name, index, what, e.getMessage());
        }
    }

    /** On the loop: the ring stops for good; the device needs a reset. */
    private void broke(String why) {
        if (broken) {
            return;
        }
        broken = true;
        // the device says NEEDS_RESET before anyone can read the line
        owner.broke(index, why);
        if (registration != null) {
            registration.cancel();
        }
        if (err != null) {
            write(err, "err");
        }
        log.warn("{}: vring {} stopped: {}; the device needs a reset", name, index, why);
    }

    /**
     * From the session's thread: stops popping and returns, once none of the ring's requests is in service,
     * the next avail index (what GET_VRING_BASE answers). Waits at most {@link #STOP_WAIT_MS}.
     */
    int stop() {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                stopping = done;
                if (registration != null) {
                    registration.cancel();
                }
                if (!draining && popped == 0) {
                    stopped();
                }
            });
            return done.get(STOP_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the loops are gone (the backend is closing): nothing more runs on this ring
            return queue.nextAvail();
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("{}: vring {}: {} requests still in service after {} ms; stopping without them", name, index,
                    popped, STOP_WAIT_MS);
            loop.execute(() -> broken = true);
            return queue.nextAvail();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return queue.nextAvail();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private void stopped() {
        CompletableFuture<Integer> done = stopping;
        if (done.isDone()) {
            return;
        }
        sample();
        attached.close();
        done.complete(queue.nextAvail());
    }

    /** From the session's thread: new signal fds; returns once the loop no longer uses the old ones. */
    void signalsChanged(int callFd, int errFd) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                call = callFd < 0 ? null : new FileDescriptor(callFd);
                err = errFd < 0 ? null : new FileDescriptor(errFd);
                done.complete(null);
            });
            done.get(STOP_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException | java.util.concurrent.TimeoutException
                 | java.util.concurrent.ExecutionException e) {
            log.debug("{}: vring {}: changing its eventfds: {}", name, index, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
