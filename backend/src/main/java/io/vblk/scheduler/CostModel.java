package io.vblk.scheduler;

import io.vblk.config.SchedulerConfig;

/**
 * What a ticket costs a weighted policy, in the unit of {@code scheduler.cost}: 1 per request; 1 per whole
 * 512-byte sector (at least 1); or io.cost's linear model in nanoseconds of device time, base plus
 * per-4 KiB times bytes / 4096, reads and writes apart (a FLUSH and the like cost a write's base).
 * {@link #unit()} is what one 4 KiB read costs: the scale of a "request" in that unit.
 */
public record CostModel(SchedulerConfig.Cost kind, long readBase, long readPerPage, long writeBase, long writePerPage) {
    /** Bytes per token when cost is bytes: one 512-byte sector, as dm-ioband's weight-iosize counts. */
    static final long SECTOR = 512;
    private static final long PAGE = 4096;

    public static final CostModel REQUESTS = new CostModel(SchedulerConfig.Cost.REQUESTS, 0, 0, 0, 0);
    public static final CostModel BYTES = new CostModel(SchedulerConfig.Cost.BYTES, 0, 0, 0, 0);

    public static CostModel of(SchedulerConfig cfg) {
        SchedulerConfig.LinearCost l = cfg.linear();
        return new CostModel(cfg.cost(), l.readBase().toNanos(), l.readPerPage().toNanos(), l.writeBase().toNanos(),
                l.writePerPage().toNanos());
    }

    /** A linear model in nanoseconds of device time. */
    public static CostModel linear(long readBase, long readPerPage, long writeBase, long writePerPage) {
        return new CostModel(SchedulerConfig.Cost.LINEAR, readBase, readPerPage, writeBase, writePerPage);
    }

    /** The ticket's cost, at least 1; allocation-free. */
    long of(Ticket t) {
        return switch (kind) {
            case REQUESTS -> 1;
            case BYTES -> Math.max(1, t.bytes / SECTOR);
            case LINEAR -> Math.max(1, t.write ? writeBase + writePerPage * t.bytes / PAGE : readBase + readPerPage * t.bytes / PAGE);
        };
    }

    /** What one 4 KiB read costs. */
    long unit() {
        return switch (kind) {
            case REQUESTS -> 1;
            case BYTES -> PAGE / SECTOR;
            case LINEAR -> Math.max(1, readBase + readPerPage);
        };
    }
}
