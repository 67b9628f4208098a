package io.vblk.report;

import java.util.List;
import java.util.Locale;

/**
 * Whether an mclock reservation can be met, from the feasible share's disk model (capacity C = P / S IOPS). A
 * reservation orders what waits at the scheduler; it cannot shorten the disk's queue. A device with c requests in
 * service at depth D, the others able to fill it, has each request wait for one of the depth's slots to free and
 * then behind the D - 1 others at the disk: about (D + 1) / P x S, so it gets at most c x C / (D + 1) IOPS, and
 * never more than its own cap c / S. With fewer requests than D in the backend, n = c + the others' concurrency
 * takes D's place. A reservation r is met only at a depth of at most c x C / r - 1 (for one request, P / (r S) - 1).
 */
public final class Reservations {
    private Reservations() {}

    /**
     * The sentence for device {@code d} reserved {@code reservation} IOPS: "infeasible" and why, or what the model
     * allows; null without a disk model or a feasible share for it.
     */
    public static String verdict(DeviceFigures d, int reservation, List<DeviceFigures> all, int depth,
                                 FeasibleShare.Model model) {
        if (model == null || d.concurrency() == null || d.feasibleShare() == null) {
            return null;
        }
        int c = d.concurrency();
        int others = all.stream().filter(x -> x != d && x.concurrency() != null).mapToInt(DeviceFigures::concurrency).sum();
        int n = Math.min(depth, c + others);
        FeasibleShare.Allocation a = model.device(d.name());
        double cap = a.cap();
        double capacity = model.capacityIops();
        double queued = c * capacity / (n + 1);
        double most = Math.min(cap, queued);
        String got = String.format(Locale.ROOT, "; it got %.0f IOPS", d.iops());
        if (reservation > cap) {
            return String.format(Locale.ROOT, "%s's reservation of %d IOPS is infeasible: its %d request%s in service "
                    + "allow%s at most %.0f IOPS whatever the depth (%d / the disk's service time)%s", d.name(), reservation,
                    c, c == 1 ? "" : "s", c == 1 ? "s" : "", cap, c, got);
        }
        long needed = (long) Math.floor(c * capacity / reservation) - 1;
        if (reservation > queued) {
            return String.format(Locale.ROOT, "%s's reservation of %d IOPS is infeasible at depth %d: its %d request%s "
                    + "in service wait%s behind up to %d of the others' at a disk of %.0f IOPS, so it gets at most "
                    + "%d x %.0f / (%d + 1) = %.0f IOPS (its feasible share, %.0f %% or %.0f IOPS, counts the disk's "
                    + "slots, not its queue); a depth of at most %d x C / r - 1 = %d would meet it%s", d.name(), reservation, depth, c,
                    c == 1 ? "" : "s", c == 1 ? "s" : "", n - c, capacity, c, capacity, n, queued,
                    100 * d.feasibleShare(), d.feasibleShare() * capacity, c, needed, got);
        }
        return String.format(Locale.ROOT, "%s's reservation of %d IOPS is feasible at depth %d (at most %.0f IOPS)%s",
                d.name(), reservation, depth, most, got);
    }
}
