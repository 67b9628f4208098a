package io.vblk.config;

import io.vblk.protocol.VirtioBlk;

/**
 * One block device the backend serves. {@code store} is {@code ram} or {@code file:PATH}; {@code mode}, when
 * set, overrides the backend's mode for this device.
 */
public record DeviceConfig(String name, ByteSize size, String store, Boolean direct, Boolean readOnly,
                           Integer queueSize, Integer queues, Integer weight, Mode mode, FaultConfig fault) {
    public static final int DEFAULT_WEIGHT = 100;

    public DeviceConfig {
        store = store == null ? "ram" : store;
        direct = direct != null && direct;
        readOnly = readOnly != null && readOnly;
        queueSize = queueSize == null ? 256 : queueSize;
        queues = queues == null ? 1 : queues;
        weight = weight == null ? DEFAULT_WEIGHT : weight;
    }

    public static DeviceConfig ram(String name, long bytes, int weight) {
        return new DeviceConfig(name, ByteSize.of(bytes), "ram", null, null, null, null, weight, null, null);
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
        }
        p.require(store.equals("ram") || (isFile() && !filePath().isBlank()), Problems.join(at, "store"),
                "must be 'ram' or 'file:PATH', got '" + store + "'");
        p.require(queueSize >= 1 && queueSize <= 32768 && Integer.bitCount(queueSize) == 1, Problems.join(at, "queue-size"),
                "must be a power of two from 1 to 32768, got " + queueSize);
        p.require(queues >= 1 && queues <= 1024, Problems.join(at, "queues"), "must be from 1 to 1024, got " + queues);
        p.require(weight >= 1 && weight <= 1_000_000, Problems.join(at, "weight"),
                "must be a whole number from 1 to 1000000, got " + weight);
        p.require(!direct || isFile(), Problems.join(at, "direct"), "applies to file stores only");
        if (fault != null) {
            fault.validate(Problems.join(at, "fault"), p);
        }
    }
}
