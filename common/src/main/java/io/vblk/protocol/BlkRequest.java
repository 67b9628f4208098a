package io.vblk.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A virtio-blk request: the virtqueue it came on, its descriptor (head) id, the virtio_blk_outhdr fields
 * and the length of the data. For OUT, DISCARD and WRITE_ZEROES {@code data} holds exactly {@code length}
 * bytes and this record owns one reference to it; for IN and GET_ID {@code length} is the size of the
 * device-writable buffer and {@code data} is empty.
 */
public record BlkRequest(int queue, int descriptor, int type, int ioprio, long sector, int length, ByteBuf data)
        implements Frame, DataHolder {

    public static BlkRequest read(int queue, int descriptor, long sector, int length) {
        return new BlkRequest(queue, descriptor, VirtioBlk.T_IN, 0, sector, length, Unpooled.EMPTY_BUFFER);
    }

    public static BlkRequest write(int queue, int descriptor, long sector, ByteBuf data) {
        return new BlkRequest(queue, descriptor, VirtioBlk.T_OUT, 0, sector, data.readableBytes(), data);
    }

    public static BlkRequest of(int queue, int descriptor, int type, long sector, int length) {
        return new BlkRequest(queue, descriptor, type, 0, sector, length, Unpooled.EMPTY_BUFFER);
    }

    @Override
    public FrameKind kind() {
        return FrameKind.REQUEST;
    }

    @Override
    public BlkRequest replace(ByteBuf data) {
        return new BlkRequest(queue, descriptor, type, ioprio, sector, length, data);
    }

    @Override
    public String toString() {
        return "BlkRequest[q=" + queue + " desc=" + descriptor + " " + VirtioBlk.typeName(type) + " sector=" + sector
                + " len=" + length + "]";
    }
}
