package io.vblk.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.vblk.protocol.Frame;
import io.vblk.protocol.FrameDecoder;
import io.vblk.protocol.FrameEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A blocking socket client for tests that must control exactly when the client reads (or does not): it
 * writes frames, and reads them only when asked. Frames are encoded and decoded by the protocol's own codec.
 */
final class RawClient implements AutoCloseable {
    private final Socket socket = new Socket();
    private final OutputStream out;
    private final InputStream in;
    private final EmbeddedChannel encoder = new EmbeddedChannel(FrameEncoder.INSTANCE);
    private final EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder(8 << 20));
    private final byte[] chunk = new byte[64 * 1024];

    RawClient(InetSocketAddress address, int receiveBuffer) throws IOException {
        this(address, receiveBuffer, 20_000);
    }

    /** {@code timeoutMs} bounds every blocking read. */
    RawClient(InetSocketAddress address, int receiveBuffer, int timeoutMs) throws IOException {
        socket.setReceiveBufferSize(receiveBuffer);
        socket.setSoTimeout(timeoutMs);
        socket.connect(address);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    void send(Frame... frames) throws IOException {
        for (Frame f : frames) {
            encoder.writeOutbound(f);
        }
        ByteBuf b;
        while ((b = encoder.readOutbound()) != null) {
            try {
                b.readBytes(out, b.readableBytes());
            } finally {
                b.release();
            }
        }
        out.flush();
    }

    /** Writes raw bytes, e.g. part of a frame. */
    void sendBytes(byte[] bytes, int from, int length) throws IOException {
        out.write(bytes, from, length);
        out.flush();
    }

    /** Half-closes: the backend reads end of stream, this side still receives. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** The next frame, or null once the backend closed the connection (EOF or reset). */
    Frame nextOrEnd() throws IOException {
        try {
            return next();
        } catch (java.net.SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            return null;
        }
    }

    /** The next frame; blocks (up to the socket timeout) reading the socket until one is whole. */
    Frame next() throws IOException {
        Frame f;
        while ((f = decoder.readInbound()) == null) {
            int n = in.read(chunk);
            if (n < 0) {
                throw new IOException("connection closed");
            }
            decoder.writeInbound(decoder.alloc().buffer(n).writeBytes(chunk, 0, n));
        }
        return f;
    }

    /** Closes the socket only, unblocking a thread stuck in {@link #send}; {@link #close} still follows. */
    void closeSocket() throws IOException {
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        encoder.finishAndReleaseAll();
        Object o;
        while ((o = decoder.readInbound()) != null) {
            ReferenceCountUtil.release(o);
        }
        decoder.finishAndReleaseAll();
    }
}
