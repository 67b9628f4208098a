package io.vblk.logs;

import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * Gives each interval of one queue a lane on which it overlaps no other, the lowest lane free at its start, so
 * that a trace viewer, which draws the slices of one track nested or apart but never half-overlapping, shows
 * every request of a queue that holds many at once. Intervals must come in order of their start.
 */
final class Lanes {
    private record Busy(long end, int lane) {}

    private final PriorityQueue<Busy> busy = new PriorityQueue<>((a, b) -> Long.compare(a.end(), b.end()));
    private final TreeSet<Integer> free = new TreeSet<>();
    private int opened;

    /** The lane of the interval [start, end]; one that ends where the next starts leaves its lane to it. */
    int place(long start, long end) {
        while (!busy.isEmpty() && busy.peek().end() <= start) {
            free.add(busy.poll().lane());
        }
        int lane = free.isEmpty() ? opened++ : free.pollFirst();
        busy.add(new Busy(end, lane));
        return lane;
    }
}
