package io.vblk.protocol;

/**
 * The device's configuration block, after virtio_blk_config: capacity is in 512-byte sectors. The discard
 * and write-zeroes limits are per segment (sectors) and per request (segments), as in virtio 1.2 5.2.4.
 */
public record BlkConfig(long capacity, int blkSize, int segMax, int sizeMax, int numQueues, int queueSize,
                        int maxDiscardSectors, int maxDiscardSeg, int maxWriteZeroesSectors, int maxWriteZeroesSeg) {
    /** The largest data payload one request may carry or ask for. */
    public long maxTransfer() {
        return (long) segMax * sizeMax;
    }

    /** The same block with {@code n} queues: what one connection was granted. */
    public BlkConfig withQueues(int n) {
        return new BlkConfig(capacity, blkSize, segMax, sizeMax, n, queueSize, maxDiscardSectors, maxDiscardSeg,
                maxWriteZeroesSectors, maxWriteZeroesSeg);
    }
}
