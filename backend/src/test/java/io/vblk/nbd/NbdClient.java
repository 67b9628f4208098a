package io.vblk.nbd;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vblk.protocol.nbd.Nbd;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;

/**
 * A small blocking NBD client for tests (fixed newstyle, NO_ZEROES): options one at a time, then requests
 * that may be pipelined and replies read in whatever order they come. Every read waits at most 10 s.
 */
public final class NbdClient implements AutoCloseable {
    /** One option reply; {@code data} is the payload (a message for errors). */
    public record OptionReply(int option, int type, byte[] data) {
        public String message() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** What INFO or GO told: a null {@code error} type means it succeeded. */
    public record Info(Integer error, String message, long size, int flags, String name, String description,
                       int minBlock, int preferredBlock, int maxBlock) {
        public boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    /** A whole reply to one request: simple or all structured chunks; {@code data} is read data or empty. */
    public record Reply(long cookie, int error, byte[] data, String message, boolean structured, List<Integer> chunkTypes) {}

    private Socket socket;
    private DataInputStream in;
    private DataOutputStream out;
    private final int handshakeFlags;
    private boolean structured;
    // simple replies do not say how long their data is: the client remembers its reads' lengths
    private final Map<Long, Integer> readLengths = new HashMap<>();

    private NbdClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        streams();
        long magic = in.readLong();
        long opt = in.readLong();
        if (magic != Nbd.NBDMAGIC || opt != Nbd.IHAVEOPT) {
            throw new IOException("not an NBD newstyle greeting");
        }
        handshakeFlags = in.readUnsignedShort();
    }

    /** Connects and reads the greeting; does not answer it yet (see {@link #sendClientFlags}). */
    public static NbdClient greeted(InetSocketAddress address) throws IOException {
        return new NbdClient(address);
    }

    /** Connects, reads the greeting and answers FIXED_NEWSTYLE | NO_ZEROES. */
    public static NbdClient connect(InetSocketAddress address) throws IOException {
        NbdClient c = new NbdClient(address);
        c.sendClientFlags(Nbd.FLAG_C_FIXED_NEWSTYLE | Nbd.FLAG_C_NO_ZEROES);
        return c;
    }

    /** Connects, negotiates structured replies if asked, and attaches with GO; fails if GO is refused. */
    public static NbdClient attach(InetSocketAddress address, String export, boolean structured) throws IOException {
        NbdClient c = connect(address);
        if (structured && c.option(Nbd.OPT_STRUCTURED_REPLY, new byte[0]).type() != Nbd.REP_ACK) {
            throw new IOException("structured replies refused");
        }
        Info i = c.info(Nbd.OPT_GO, export);
        if (i.error() != null) {
            throw new IOException("GO refused: " + i.message());
        }
        return c;
    }

    private void streams() throws IOException {
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
    }

    public int handshakeFlags() {
        return handshakeFlags;
    }

    public void sendClientFlags(int flags) throws IOException {
        out.writeInt(flags);
        out.flush();
    }

    public void sendOption(int option, byte[] data) throws IOException {
        out.writeLong(Nbd.IHAVEOPT);
        out.writeInt(option);
        out.writeInt(data.length);
        out.write(data);
        out.flush();
    }

    public OptionReply readOptionReply() throws IOException {
        long magic = in.readLong();
        if (magic != Nbd.REPLY_MAGIC) {
            throw new IOException("bad option reply magic 0x" + Long.toHexString(magic));
        }
        int option = in.readInt();
        int type = in.readInt();
        byte[] data = new byte[in.readInt()];
        in.readFully(data);
        return new OptionReply(option, type, data);
    }

    /** Sends an option and returns its (single) reply. */
    public OptionReply option(int option, byte[] data) throws IOException {
        sendOption(option, data);
        OptionReply r = readOptionReply();
        if (option == Nbd.OPT_STRUCTURED_REPLY && r.type() == Nbd.REP_ACK) {
            structured = true;
        }
        return r;
    }

    /** NBD_OPT_LIST: the names, or the error reply. */
    public List<String> list() throws IOException {
        sendOption(Nbd.OPT_LIST, new byte[0]);
        List<String> names = new ArrayList<>();
        while (true) {
            OptionReply r = readOptionReply();
            if (r.type() == Nbd.REP_ACK) {
                return names;
            }
            if (r.type() != Nbd.REP_SERVER) {
                throw new NbdOptionError(r);
            }
            ByteBuffer b = ByteBuffer.wrap(r.data());
            byte[] name = new byte[b.getInt()];
            b.get(name);
            names.add(new String(name, StandardCharsets.UTF_8));
        }
    }

    /** INFO or GO for {@code export}, asking for NAME, DESCRIPTION and BLOCK_SIZE. */
    public Info info(int option, String export) throws IOException {
        byte[] name = export.getBytes(StandardCharsets.UTF_8);
        sendOption(option, ByteBuffer.allocate(4 + name.length + 2 + 6).putInt(name.length).put(name)
                .putShort((short) 3).putShort((short) Nbd.INFO_NAME).putShort((short) Nbd.INFO_DESCRIPTION)
                .putShort((short) Nbd.INFO_BLOCK_SIZE).array());
        long size = -1;
        int flags = 0;
        int min = 0;
        int preferred = 0;
        int max = 0;
        String infoName = null;
        String description = null;
        while (true) {
            OptionReply r = readOptionReply();
            if (r.type() == Nbd.REP_ACK) {
                return new Info(null, null, size, flags, infoName, description, min, preferred, max);
            }
            if (Nbd.isError(r.type())) {
                return new Info(r.type(), r.message(), -1, 0, null, null, 0, 0, 0);
            }
            ByteBuffer b = ByteBuffer.wrap(r.data());
            int type = b.getShort();
            switch (type) {
                case Nbd.INFO_EXPORT -> {
                    size = b.getLong();
                    flags = Short.toUnsignedInt(b.getShort());
                }
                case Nbd.INFO_NAME -> infoName = rest(b);
                case Nbd.INFO_DESCRIPTION -> description = rest(b);
                case Nbd.INFO_BLOCK_SIZE -> {
                    min = b.getInt();
                    preferred = b.getInt();
                    max = b.getInt();
                }
                default -> throw new IOException("unknown info type " + type);
            }
        }
    }

    /** NBD_OPT_EXPORT_NAME: size and transmission flags (NO_ZEROES was agreed, so nothing follows). */
    public Info exportName(String export) throws IOException {
        sendOption(Nbd.OPT_EXPORT_NAME, export.getBytes(StandardCharsets.UTF_8));
        long size = in.readLong();
        int flags = in.readUnsignedShort();
        return new Info(null, null, size, flags, null, null, 0, 0, 0);
    }

    /** STARTTLS, then the TLS handshake over this socket, trusting {@code certificate}. */
    public OptionReply startTls(Path certificate, InetSocketAddress address) throws IOException {
        OptionReply r = option(Nbd.OPT_STARTTLS, new byte[0]);
        if (r.type() != Nbd.REP_ACK) {
            return r;
        }
        SslContext ctx = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(certificate.toFile()).build();
        SSLSocket tls = (SSLSocket) ((JdkSslContext) ctx).context().getSocketFactory()
                .createSocket(socket, address.getHostString(), address.getPort(), true);
        tls.startHandshake();
        socket = tls;
        streams();
        return r;
    }

    public void send(int type, int flags, long cookie, long offset, long length, byte[] data) throws IOException {
        out.writeInt(Nbd.REQUEST_MAGIC);
        out.writeShort(flags);
        out.writeShort(type);
        out.writeLong(cookie);
        out.writeLong(offset);
        out.writeInt((int) length);
        if (data != null) {
            out.write(data);
        }
        if (type == Nbd.CMD_READ) {
            readLengths.put(cookie, (int) length);
        }
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** Sends one request and reads replies until its own (with nothing else in flight, the next one). */
    public Reply call(int type, int flags, long offset, long length, byte[] data) throws IOException {
        long cookie = System.nanoTime();
        send(type, flags, cookie, offset, length, data);
        flush();
        Reply r = readReply();
        if (r.cookie() != cookie) {
            throw new IOException("reply for cookie " + r.cookie() + ", expected " + cookie);
        }
        return r;
    }

    public Reply read(long offset, int length) throws IOException {
        return call(Nbd.CMD_READ, 0, offset, length, null);
    }

    public Reply write(long offset, byte[] data, int flags) throws IOException {
        return call(Nbd.CMD_WRITE, flags, offset, data.length, data);
    }

    public Reply readReply() throws IOException {
        int magic = in.readInt();
        if (magic == Nbd.SIMPLE_REPLY_MAGIC) {
            int error = in.readInt();
            long cookie = in.readLong();
            Integer length = readLengths.remove(cookie);
            byte[] data = new byte[error == 0 && length != null ? length : 0];
            in.readFully(data);
            return new Reply(cookie, error, data, null, false, List.of());
        }
        if (magic != Nbd.STRUCTURED_REPLY_MAGIC) {
            throw new IOException("bad reply magic 0x" + Integer.toHexString(magic));
        }
        List<Integer> types = new ArrayList<>();
        byte[] data = new byte[0];
        int error = 0;
        String message = null;
        long cookie;
        while (true) {
            int flags = in.readUnsignedShort();
            int type = in.readUnsignedShort();
            cookie = in.readLong();
            int length = in.readInt();
            types.add(type);
            if (type == Nbd.REPLY_TYPE_OFFSET_DATA) {
                in.readLong();
                data = new byte[length - 8];
                in.readFully(data);
            } else if (type == Nbd.REPLY_TYPE_ERROR) {
                error = in.readInt();
                byte[] text = new byte[in.readUnsignedShort()];
                in.readFully(text);
                message = new String(text, StandardCharsets.UTF_8);
                in.skipNBytes(length - 6 - text.length);
            } else {
                in.skipNBytes(length);
            }
            if ((flags & Nbd.REPLY_FLAG_DONE) != 0) {
                break;
            }
            if (in.readInt() != Nbd.STRUCTURED_REPLY_MAGIC) {
                throw new IOException("bad chunk magic");
            }
        }
        readLengths.remove(cookie);
        return new Reply(cookie, error, data, message, true, types);
    }

    public int readByte() throws IOException {
        return in.readUnsignedByte();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** True once the server closed the connection (EOF or reset) within {@code millis}; false if it sent a byte. */
    public boolean closedWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | java.net.SocketException e) {
            return true;
        }
    }

    public boolean structured() {
        return structured;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** An option answered with an error reply. */
    public static final class NbdOptionError extends IOException {
        public final OptionReply reply;

        NbdOptionError(OptionReply reply) {
            super("option " + reply.option() + " refused: 0x" + Integer.toHexString(reply.type()) + " " + reply.message());
            this.reply = reply;
        }
    }

    private static String rest(ByteBuffer b) {
        byte[] s = new byte[b.remaining()];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
