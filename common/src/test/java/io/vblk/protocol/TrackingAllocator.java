package io.vblk.protocol;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands out buffers and remembers them, so a test can assert that every one was released, deterministically
 * rather than when the leak detector happens to see a collected buffer. The buffers are unpooled because a
 * pooled buffer is recycled after its release and its refCnt() would then describe its next user.
 */
final class TrackingAllocator extends AbstractByteBufAllocator {
    private static final ByteBufAllocator UNPOOLED = new UnpooledByteBufAllocator(true, true);

    private final List<ByteBuf> handedOut = new ArrayList<>();

    TrackingAllocator() {
        super(true);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return remember(UNPOOLED.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return remember(UNPOOLED.directBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    private ByteBuf remember(ByteBuf b) {
        handedOut.add(b);
        return b;
    }

    List<ByteBuf> unreleased() {
        return handedOut.stream().filter(b -> b.refCnt() != 0).toList();
    }
}
