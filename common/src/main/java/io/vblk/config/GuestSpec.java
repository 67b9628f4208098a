package io.vblk.config;

import io.vblk.protocol.VirtioBlk;
import java.util.List;

/**
 * A real guest as a load of an experiment: a QEMU VM whose virtio-blk disks are the listed devices (over
 * their vhost-user doors, in this order: vda, vdb, ...), and on each disk {@code processes} processes with
 * one O_DIRECT request outstanding each, as {@link LoadSpec}'s simulated ones.
 */
public record GuestSpec(String name, List<String> devices, Integer processes, Pattern pattern, Integer readPercent,
                        ByteSize blockSize, Integer cpus, ByteSize memory) {
    /** What QEMU's vhost-user-blk-pci and the guest's page size allow for one I/O of the load program. */
    public static final long MAX_BLOCK = 1L << 20;

    public GuestSpec {
        name = name == null ? "vm" : name;
        devices = devices == null ? List.of() : List.copyOf(devices);
        processes = processes == null ? 1 : processes;
        pattern = pattern == null ? Pattern.RANDREAD : pattern;
        readPercent = readPercent == null ? LoadSpec.readPercentOf(pattern) : readPercent;
        blockSize = blockSize == null ? ByteSize.of(4096) : blockSize;
        cpus = cpus == null ? 2 : cpus;
        memory = memory == null ? ByteSize.of(512L << 20) : memory;
    }

    public void validate(String at, Problems p) {
        p.require(name.matches("[A-Za-z0-9_.-]{1,32}"), Problems.join(at, "name"),
                "must be 1 to 32 letters, digits, '_', '.' or '-', got '" + name + "'");
        p.require(!devices.isEmpty() && devices.size() <= 16, Problems.join(at, "devices"),
                "is required: 1 to 16 device names of the backend, each becoming a disk of the guest");
        p.require(devices.stream().distinct().count() == devices.size(), Problems.join(at, "devices"),
                "names a device twice: " + devices);
        p.require(processes >= 1 && processes <= 1024, Problems.join(at, "processes"),
                "must be from 1 to 1024 per disk, got " + processes);
        p.require(pattern == Pattern.RANDREAD || pattern == Pattern.RANDWRITE || pattern == Pattern.RANDRW,
                Problems.join(at, "pattern"), "a guest does random I/O: randread, randwrite or randrw, got " + pattern);
        p.require(readPercent >= 0 && readPercent <= 100, Problems.join(at, "read-percent"),
                "must be from 0 to 100, got " + readPercent);
        long bs = blockSize.bytes();
        p.require(bs >= 4096 && bs % 4096 == 0 && bs <= MAX_BLOCK, Problems.join(at, "block-size"),
                "must be a multiple of 4KiB up to 1MiB (O_DIRECT in the guest), got " + blockSize);
        p.require(cpus >= 1 && cpus <= 16, Problems.join(at, "cpus"), "must be from 1 to 16, got " + cpus);
        p.require(memory.bytes() >= (128L << 20) && memory.bytes() <= (16L << 30) && memory.bytes() % (1 << 20) == 0,
                Problems.join(at, "memory"), "must be whole MiB from 128MiB to 16GiB, got " + memory);
        for (int i = 0; i < devices.size(); i++) {
            p.require(devices.get(i) != null && !devices.get(i).isBlank(), Problems.join(at, "devices[" + i + "]"),
                    "must be a device name of the backend");
        }
    }
}
