package io.vblk.config;

import io.vblk.protocol.VirtioBlk;

/** The guest processes driving one device: each keeps one request outstanding, like O_DIRECT I/O. */
public record LoadSpec(String device, Integer processes, Pattern pattern, Integer readPercent, ByteSize blockSize,
                       Integer queueSize) {
    public LoadSpec {
        processes = processes == null ? 1 : processes;
        pattern = pattern == null ? Pattern.RANDREAD : pattern;
        readPercent = readPercent == null ? readPercentOf(pattern) : readPercent;
        blockSize = blockSize == null ? ByteSize.of(4096) : blockSize;
    }

    static int readPercentOf(Pattern p) {
        return switch (p) {
            case RANDREAD, READ -> 100;
            case RANDWRITE, WRITE -> 0;
            case RANDRW -> 50;
        };
    }

    void validate(String at, Problems p) {
        p.require(device != null && !device.isBlank(), Problems.join(at, "device"), "is required: a device name of the backend");
        p.require(processes >= 1 && processes <= 65536, Problems.join(at, "processes"), "must be from 1 to 65536, got " + processes);
        p.require(readPercent >= 0 && readPercent <= 100, Problems.join(at, "read-percent"), "must be from 0 to 100, got " + readPercent);
        long bs = blockSize.bytes();
        p.require(bs > 0 && bs % VirtioBlk.SECTOR_SIZE == 0 && bs <= 4L << 20, Problems.join(at, "block-size"),
                "must be a multiple of 512 bytes up to 4MiB, got " + bs);
        p.require(queueSize == null || (queueSize >= 1 && Integer.bitCount(queueSize) == 1), Problems.join(at, "queue-size"),
                "must be a power of two, got " + queueSize);
    }
}
