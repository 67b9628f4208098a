package io.vblk.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.vblk.protocol.Completion;
import io.vblk.protocol.VirtioBlk;

/** The virtio-over-TCP door's answers: a {@link Completion} frame per request, on the connection's channel. */
final class VirtioSink implements CompletionSink {
    private final Channel channel;
    private final Connection connection;

    VirtioSink(Channel channel, Connection connection) {
        this.channel = channel;
        this.connection = connection;
    }

    @Override
    public EventExecutor executor() {
        return channel.eventLoop();
    }

    @Override
    public boolean accepting() {
        return channel.isWritable();
    }

    @Override
    public void answer(int queue, int descriptor, int status, int used, ByteBuf data) {
        // after a refusal the client gets nothing more; the connection is closing
        if (!channel.isActive() || connection.refused()) {
            data.release();
            return;
        }
        // virtio has no word for a full filesystem
        int virtio = status == S_NO_SPACE ? VirtioBlk.S_IOERR : status;
        channel.writeAndFlush(new Completion(queue, descriptor, virtio, used, data), channel.voidPromise());
    }
}
