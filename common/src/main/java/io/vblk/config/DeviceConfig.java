package io.vblk.config;

import io.vblk.protocol.VirtioBlk;

/**
 * One block device the backend serves. {@code store} is {@code ram} or {@code file:PATH}; {@code mode}, when
 * set, overrides the backend's mode for this device. The four {@code max-*} keys are virtio_blk_config's
 * DISCARD and WRITE_ZEROES limits, advertised at attach and enforced per request. {@code vhost-user}, when
 * set, also serves the device to a vhost-user front-end on its own unix socket. {@code reservation} and
 * {@code limit} (IOPS, policy mclock) are the least and the most the scheduler dispatches for it per second.
 * {@code latency-target} (with {@code scheduler.depth: auto}) is the mean latency, from the scheduler to
 * completion, above which the other devices' depth is halved.
 */
public record DeviceConfig(String name, ByteSize size, String store, Boolean direct, Boolean readOnly,
                           Integer queueSize, Integer queues, Integer weight, Mode mode, FaultConfig fault,
                           Integer maxDiscardSectors, Integer maxDiscardSeg, Integer maxWriteZeroesSectors,
                           Integer maxWriteZeroesSeg, VhostUserConfig vhostUser, Integer reservation, Integer limit,
                           java.time.Duration latencyTarget, Boolean create, Integer maxInService) {
    public static final int DEFAULT_WEIGHT = 100;
    /** The longest latency target: its window (16 targets) is then io.latency's longest, 1 s, and more. */
    public static final java.time.Duration MAX_LATENCY_TARGET = java.time.Duration.ofSeconds(1);
    /** The largest RAM device: its directory of 16 MiB segments (4 Mi entries) is allocated at start. */
    public static final long MAX_RAM_BYTES = 64L << 40;
    /** QEMU's default and largest per-segment range, BDRV_REQUEST_MAX_SECTORS: INT_MAX bytes in whole sectors. */
    public static final int MAX_RANGE_SECTORS = Integer.MAX_VALUE >> VirtioBlk.SECTOR_SHIFT;
    /** Most segments a DISCARD or WRITE_ZEROES may carry: bounds the work of one request on an event loop. */
    public static final int MAX_SEGMENTS = 256;

    public DeviceConfig {
        store = store == null ? "ram" : store;
        direct = direct != null && direct;
        readOnly = readOnly != null && readOnly;
        // a file store creates an absent image (in a folder that exists) unless told not to
        create = create == null || create;
        queueSize = queueSize == null ? 256 : queueSize;
        queues = queues == null ? 1 : queues;
        weight = weight == null ? DEFAULT_WEIGHT : weight;
        // QEMU's defaults: the largest range, and one segment per request
        maxDiscardSectors = maxDiscardSectors == null ? MAX_RANGE_SECTORS : maxDiscardSectors;
        maxDiscardSeg = maxDiscardSeg == null ? 1 : maxDiscardSeg;
        maxWriteZeroesSectors = maxWriteZeroesSectors == null ? MAX_RANGE_SECTORS : maxWriteZeroesSectors;
        maxWriteZeroesSeg = maxWriteZeroesSeg == null ? 1 : maxWriteZeroesSeg;
    }

    public static DeviceConfig ram(String name, long bytes, int weight) {
        return of(name, ByteSize.of(bytes), "ram", weight, null);
    }

    /** A device with every other key at its default. */
    public static DeviceConfig of(String name, ByteSize size, String store, Integer weight, Mode mode) {
        return new DeviceConfig(name, size, store, null, null, null, null, weight, mode, null, null, null, null, null, null, null, null, null, null, null);
    }

    public boolean isFile() {
        return store.startsWith("file:");
    }

    public String filePath() {
        return store.substring("file:".length());
    }

    public long capacitySectors() {
        return size.bytes() >> VirtioBlk.SECTOR_SHIFT;
    }

    void validate(String at, Problems p) {
        p.require(name != null && name.matches("[A-Za-z0-9_.-]{1,64}"), Problems.join(at, "name"),
                "is required: 1 to 64 letters, digits, '_', '.' or '-'" + (name == null ? "" : ", got '" + name + "'"));
        if (size == null) {
            p.add(Problems.join(at, "size"), "is required: " + ByteSize.ALLOWED);
        } else {
            p.require(size.bytes() > 0 && size.bytes() % VirtioBlk.SECTOR_SIZE == 0, Problems.join(at, "size"),
                    "must be a positive multiple of 512 bytes, got " + size.bytes());
            p.require(isFile() || size.bytes() <= MAX_RAM_BYTES, Problems.join(at, "size"),
                    "a RAM device holds at most " + ByteSize.of(MAX_RAM_BYTES) + ", got " + size);
        }
        p.require(store.equals("ram") || (isFile() && !filePath().isBlank()), Problems.join(at, "store"),
                "must be 'ram' or 'file:PATH', got '" + store + "'");
        p.require(maxInService == null || (maxInService >= 1 && maxInService <= queueSize), Problems.join(at, "max-in-service"),
                "must be from 1 to queue-size (" + queueSize + "), got " + maxInService);
        p.require(queueSize >= 1 && queueSize <= 32768 && Integer.bitCount(queueSize) == 1, Problems.join(at, "queue-size"),
                "must be a power of two from 1 to 32768, got " + queueSize);
        p.require(queues >= 1 && queues <= 1024, Problems.join(at, "queues"), "must be from 1 to 1024, got " + queues);
        p.require(weight >= 1 && weight <= 1_000_000, Problems.join(at, "weight"),
                "must be a whole number from 1 to 1000000, got " + weight);
        p.require(!direct || isFile(), Problems.join(at, "direct"), "applies to file stores only");
        rangeLimit(p, at, "max-discard-sectors", maxDiscardSectors, MAX_RANGE_SECTORS);
        rangeLimit(p, at, "max-discard-seg", maxDiscardSeg, MAX_SEGMENTS);
        rangeLimit(p, at, "max-write-zeroes-sectors", maxWriteZeroesSectors, MAX_RANGE_SECTORS);
        rangeLimit(p, at, "max-write-zeroes-seg", maxWriteZeroesSeg, MAX_SEGMENTS);
        p.require(reservation == null || (reservation >= 1 && reservation <= 10_000_000), Problems.join(at, "reservation"),
                "must be from 1 to 10000000 IOPS, got " + reservation);
        p.require(limit == null || (limit >= 1 && limit <= 10_000_000), Problems.join(at, "limit"),
                "must be from 1 to 10000000 IOPS, got " + limit);
        p.require(reservation == null || limit == null || reservation <= limit, Problems.join(at, "reservation"),
                "must not exceed limit (" + limit + " IOPS), got " + reservation);
        p.require(latencyTarget == null || (latencyTarget.toNanos() >= 1_000 && latencyTarget.compareTo(MAX_LATENCY_TARGET) <= 0),
                Problems.join(at, "latency-target"), "must be from 1us to 1s, got "
                        + (latencyTarget == null ? null : Durations.format(latencyTarget)));
        if (vhostUser != null) {
            vhostUser.validate(Problems.join(at, "vhost-user"), p);
        }
        if (fault != null) {
            fault.validate(Problems.join(at, "fault"), p);
        }
    }

    private static void rangeLimit(Problems p, String at, String key, int value, int max) {
        p.require(value >= 1 && value <= max, Problems.join(at, key), "must be from 1 to " + max + ", got " + value);
    }
}
