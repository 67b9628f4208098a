package io.vblk.protocol;

/** The device's configuration block, after virtio_blk_config: capacity is in 512-byte sectors. */
public record BlkConfig(long capacity, int blkSize, int segMax, int sizeMax, int numQueues, int queueSize) {
    /** The largest data payload one request may carry or ask for. */
    public long maxTransfer() {
        return (long) segMax * sizeMax;
    }
}
