package io.vblk.backend;

import io.vblk.protocol.BlkConfig;
import io.vblk.protocol.VirtioBlk;
import java.util.List;
import java.util.Map;

/**
 * The backend as a front door sees it: the devices by name, the token check, and the device queues it
 * attaches, all on the same request path.
 */
public final class Exports {
    /**
     * What a client may learn about a device before attaching to it; {@code maxTrim} and {@code maxZeroes} are
     * the device's max-discard-sectors and max-write-zeroes-sectors in bytes (one NBD command is one segment).
     */
    public record Export(String name, String description, long size, boolean readOnly, int maxTransfer, long maxTrim,
                         long maxZeroes) {}

    private final Map<String, Device> devices;
    private final RequestPath path;
    private final TokenCheck tokens;

    Exports(Map<String, Device> devices, RequestPath path, TokenCheck tokens) {
        this.devices = devices;
        this.path = path;
        this.tokens = tokens;
    }

    /** Device names in config order. */
    public List<String> names() {
        return List.copyOf(devices.keySet());
    }

    /** The device called {@code name}, or null. */
    public Export find(String name) {
        Device d = devices.get(name);
        if (d == null) {
            return null;
        }
        String description = "vblk device " + d.name() + ": " + d.config().size() + " " + d.config().store() + ", "
                + d.mode().label() + ", weight " + d.config().weight();
        BlkConfig c = d.blkConfig();
        return new Export(d.name(), description, d.config().size().bytes(), d.config().readOnly(), (int) c.maxTransfer(),
                (long) c.maxDiscardSectors() << VirtioBlk.SECTOR_SHIFT, (long) c.maxWriteZeroesSectors() << VirtioBlk.SECTOR_SHIFT);
    }

    /** Descriptors in device {@code name}'s queue: at most this many of a connection's requests in flight. */
    public int queueSize(String name) {
        return devices.get(name).blkConfig().queueSize();
    }

    public boolean authRequired() {
        return tokens.required();
    }

    /** Whether {@code presented} is the token, compared in constant time; always true without auth. */
    public boolean tokenMatches(String presented) {
        return tokens.accepts(presented);
    }

    /**
     * Queue 0 of device {@code name} with every feature the device offers, as a virtio driver acknowledging
     * them all would have; it answers into {@code sink} and counts what it holds against {@code budget}. On
     * the sink's executor only.
     */
    public AttachedQueue attach(String name, CompletionSink sink, MemoryBudget budget) {
        Device d = devices.get(name);
        return new AttachedQueue(queue(d, 0, d.features(), sink, budget));
    }

    /**
     * Queue {@code index} of device {@code name} as a virtio driver set it up: {@code size} descriptors and
     * the {@code features} it acknowledged. On the sink's executor only.
     */
    public AttachedQueue attach(String name, int index, long features, int size, CompletionSink sink,
                                MemoryBudget budget) {
        return new AttachedQueue(new DeviceQueue(devices.get(name), index, features, size, sink, budget, path));
    }

    /** Queue {@code index} of {@code d}, for a driver that acknowledged {@code features}. */
    DeviceQueue queue(Device d, int index, long features, CompletionSink sink, MemoryBudget budget) {
        return new DeviceQueue(d, index, features, d.blkConfig().queueSize(), sink, budget, path);
    }

    /** The virtio-blk feature bits device {@code name} offers (not the transport's). */
    public long features(String name) {
        return devices.get(name).features();
    }

    /** Device {@code name}'s virtio_blk_config. */
    public BlkConfig blkConfig(String name) {
        return devices.get(name).blkConfig();
    }

    /** The device called {@code name}, or null. */
    Device device(String name) {
        return devices.get(name);
    }

    TokenCheck tokens() {
        return tokens;
    }
}
