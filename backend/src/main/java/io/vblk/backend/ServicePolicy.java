package io.vblk.backend;

import java.util.ArrayDeque;

/**
 * How a device queue lets its requests into the {@link RequestPath}, the one thing sync and aio modes differ
 * in: at most the device's service limit of the queue's requests are in service at once, 1 in sync mode (the
 * 2008 backend, which took the next request only after answering the last) and max-in-service in aio mode.
 * The limit is read at each admission, so a live change of mode applies from the next one; while requests
 * wait here one is in service, and its completion admits them under the new limit. The rest wait
 * here in arrival order, as do all while the door's sink is not accepting answers. Confined to the queue's
 * thread (its sink's executor): completions from other threads hop back to it; one that completes inline
 * while {@link #admit} submits (a RAM store) is answered right after that submission, without a hop.
 */
final class ServicePolicy {
    private final DeviceQueue queue;
    private final CompletionSink sink;
    private final RequestPath path;
    private final ArrayDeque<IoRequest> waiting = new ArrayDeque<>();
    // completed on this loop during admit's submission, answered by admit before it submits the next
    private final ArrayDeque<IoRequest> completedInline = new ArrayDeque<>();
    private boolean admitting;
    private int inService;
    private boolean awaitingRoom;
    private boolean closed;

    ServicePolicy(DeviceQueue queue, CompletionSink sink, RequestPath path) {
        this.queue = queue;
        this.sink = sink;
        this.path = path;
    }

    /** On the event loop: a checked request, now owned here until it is answered or dropped. */
    void arrived(IoRequest r) {
        waiting.addLast(r);
        admit();
    }

    /** On whichever thread completed the request. */
    void completed(IoRequest r) {
        if (admitting && sink.executor().inEventLoop()) {
            completedInline.addLast(r);
            return;
        }
        queue.onLoop(r, () -> {
            answer(r);
            admit();
        });
    }

    private void answer(IoRequest r) {
        inService--;
        queue.reply(r);
    }

    /** On the queue's thread: requests that would enter service now, beyond those in service or waiting. */
    int room() {
        return Math.max(0, queue.device().serviceLimit() - inService - waiting.size());
    }

    /** On the queue's thread: the sink's {@link CompletionSink#accepting} may have changed. */
    void writabilityChanged() {
        admit();
    }

    /** The connection is gone: drop what has not entered the request path; what has will complete and be dropped. */
    void close() {
        closed = true;
        IoRequest r;
        while ((r = waiting.pollFirst()) != null) {
            r.discard();
        }
    }

    // while the client is not taking its replies, requests wait here rather than become replies nobody reads;
    // those already in service still finish, so replies overshoot the high water mark by at most max-in-service
    private void admit() {
        // a reply can re-enter admit (writability changes inside the write); the outer call keeps its flag
        boolean outer = admitting;
        admitting = true;
        try {
            while (!closed && !awaitingRoom && inService < queue.device().serviceLimit() && !waiting.isEmpty()
                    && sink.accepting()) {
                IoRequest r = waiting.pollFirst();
                // counted before the submission, which may complete it inline
                inService++;
                if (!path.trySubmit(r, this::roomLater)) {
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
            sink.executor().execute(() -> {
                awaitingRoom = false;
                admit();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the backend is closing: close() has dropped what was waiting here
        }
    }
}
