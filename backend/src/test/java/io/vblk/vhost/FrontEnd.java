package io.vblk.vhost;

import io.netty.channel.epoll.Native;
import io.netty.channel.unix.FileDescriptor;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A vhost-user front-end of the tests' own, driving a vblk door as QEMU 7.2 does (message order from
 * {@code ../shared/vhost-user-notes.md}): guest memory in a shared file, real eventfds passed as SCM_RIGHTS,
 * and split rings laid out the way a Linux driver lays them out. Its {@link Ring}s play the guest's driver.
 *
 * <pre>
 * guest memory (one region at guest-physical 0):
 *   ring q at q * 1 MiB: descriptors +0, avail +0x2000, used +0x3000, indirect tables +0x8000 (64 B a slot),
 *                       headers +0x10000 (16 B a slot), status bytes +0x18000 (1 B a slot)
 *   data from 8 MiB: ring q, slot s at 8 MiB + (q * 256 + s) * 64 KiB
 * </pre>
 */
public final class FrontEnd implements Closeable {
    static final long MEMORY = 40L << 20;
    static final long USER_ADDR = 0x7f12_0000_0000L;
    static final long RING_STRIDE = 1 << 20;
    static final long DATA = 8 << 20;
    static final int SLOT_DATA = 64 << 10;
    static final int MAX_SIZE = 256;
    static final Duration WAIT = Duration.ofSeconds(20);

    final AFUNIXSocket socket;
    private final OutputStream out;
    private final DataInputStream in;
    final RandomAccessFile file;
    final MappedByteBuffer mem;
    private final List<FileDescriptor> eventFds = new ArrayList<>();
    private final Ring[] rings = new Ring[4];
    long features;

    private FrontEnd(AFUNIXSocket socket, RandomAccessFile file) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
        this.file = file;
        file.setLength(MEMORY);
        this.mem = file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, MEMORY);
        mem.order(ByteOrder.LITTLE_ENDIAN);
        // a door that died would leave the front-end waiting for a reply: every read is bounded
        socket.setSoTimeout((int) WAIT.toMillis());
    }

    /** Connects to {@code socket}, the guest's memory in the file {@code memory}. */
    public static FrontEnd connect(Path socket, Path memory) throws IOException {
        AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket));
        return new FrontEnd(s, new RandomAccessFile(memory.toFile(), "rw"));
    }

    // --- messages

    void send(int request, boolean needReply, ByteBuffer payload, java.io.FileDescriptor... fds) throws IOException {
        int size = payload == null ? 0 : payload.capacity();
        ByteBuffer b = ByteBuffer.allocate(12 + size).order(ByteOrder.LITTLE_ENDIAN).putInt(request)
                .putInt(VhostUser.FLAG_VERSION | (needReply ? VhostUser.FLAG_NEED_REPLY : 0)).putInt(size);
        if (payload != null) {
            b.put(payload.array());
        }
        if (fds.length > 0) {
            socket.setOutboundFileDescriptors(fds);
        }
        out.write(b.array());
        out.flush();
    }

    ByteBuffer reply(int request) throws IOException {
        byte[] header = new byte[12];
        in.readFully(header);
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        if (h.getInt(0) != request || h.getInt(4) != (VhostUser.FLAG_VERSION | VhostUser.FLAG_REPLY)) {
            throw new IOException("reply " + h.getInt(0) + " flags 0x" + Integer.toHexString(h.getInt(4)) + " to "
                    + VhostUser.name(request));
        }
        byte[] body = new byte[h.getInt(8)];
        in.readFully(body);
        return ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    }

    long call(int request, ByteBuffer payload) throws IOException {
        send(request, false, payload);
        return reply(request).getLong(0);
    }

    /** A message sent with NEED_REPLY; REPLY_ACK answers 0 for success. */
    void acked(int request, ByteBuffer payload, java.io.FileDescriptor... fds) throws IOException {
        send(request, true, payload, fds);
        long ack = reply(request).getLong(0);
        if (ack != 0) {
            throw new IOException(VhostUser.name(request) + " answered " + ack);
        }
    }

    static ByteBuffer payload(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static ByteBuffer u64(long v) {
        return payload(8).putLong(0, v);
    }

    static ByteBuffer state(int index, long num) {
        return payload(8).putInt(index).putInt((int) num);
    }

    private FileDescriptor eventFd() {
        FileDescriptor fd = Native.newEventFd();
        eventFds.add(fd);
        return fd;
    }

    private static java.io.FileDescriptor passing(FileDescriptor fd) throws IOException {
        return FileDescriptorCast.unsafeUsing(fd.intValue()).as(java.io.FileDescriptor.class);
    }

    /** The setup QEMU does before any ring: features, owner, config, memory table. Returns the config block. */
    public ByteBuffer negotiate() throws IOException {
        long offered = call(VhostUser.GET_FEATURES, null);
        long protocol = call(VhostUser.GET_PROTOCOL_FEATURES, null);
        send(VhostUser.SET_PROTOCOL_FEATURES, false, u64(protocol));
        call(VhostUser.GET_QUEUE_NUM, null);
        acked(VhostUser.SET_OWNER, null);
        features = offered;
        acked(VhostUser.SET_FEATURES, u64(offered));
        send(VhostUser.GET_CONFIG, false, payload(12 + 60).putInt(0).putInt(60).putInt(0));
        ByteBuffer config = reply(VhostUser.GET_CONFIG);
        acked(VhostUser.SET_MEM_TABLE, payload(8 + 32).putInt(1).putInt(0).putLong(0).putLong(MEMORY)
                .putLong(USER_ADDR).putLong(0), file.getFD());
        return config.position(12).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Sets ring {@code q} up with {@code size} entries from avail index {@code base} and enables it. */
    public Ring ring(int q, int size, int base) throws IOException {
        Ring r = rings[q] == null || rings[q].size != size ? new Ring(q, size) : rings[q];
        rings[q] = r;
        r.nextAvail = base;
        acked(VhostUser.SET_VRING_NUM, state(q, size));
        acked(VhostUser.SET_VRING_BASE, state(q, base));
        acked(VhostUser.SET_VRING_ADDR, payload(40).putInt(q).putInt(0).putLong(USER_ADDR + r.desc)
                .putLong(USER_ADDR + r.used).putLong(USER_ADDR + r.avail).putLong(0));
        // the back-end keeps its own copies of what it is sent: the front-end's old ones may go
        FileDescriptor oldCall = r.call;
        FileDescriptor oldKick = r.kick;
        r.call = eventFd();
        acked(VhostUser.SET_VRING_CALL, u64(q), passing(r.call));
        r.kick = eventFd();
        acked(VhostUser.SET_VRING_KICK, u64(q), passing(r.kick));
        for (FileDescriptor old : new FileDescriptor[] {oldCall, oldKick}) {
            if (old != null) {
                eventFds.remove(old);
                old.close();
            }
        }
        acked(VhostUser.SET_VRING_ENABLE, state(q, 1));
        return r;
    }

    Ring ring(int q) {
        return rings[q];
    }

    /** GET_VRING_BASE: stops ring {@code q}; answered once its requests in service have completed. */
    int vringBase(int q) throws IOException {
        send(VhostUser.GET_VRING_BASE, false, state(q, 0));
        return reply(VhostUser.GET_VRING_BASE).getInt(4);
    }

    long status() throws IOException {
        return call(VhostUser.GET_STATUS, null);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        file.close();
        for (FileDescriptor fd : eventFds) {
            fd.close();
        }
    }

    /** fcntl(2), to make an eventfd blocking. */
    private static final class Libc {
        static final int F_GETFL = 3;
        static final int F_SETFL = 4;
        static final int O_NONBLOCK = 04000;

        static {
            com.sun.jna.Native.register(Libc.class, com.sun.jna.Platform.C_LIBRARY_NAME);
        }

        static native int fcntl(int fd, int cmd, int arg);
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + WAIT + " for " + what);
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /**
     * The driver's side of ring {@code q}. Request slot {@code s} uses descriptor {@code s}, an indirect table
     * of header, data and status; the raw writers let a test break any rule.
     */
    public final class Ring {
        final int q;
        final int size;
        final long desc;
        final long avail;
        final long used;
        FileDescriptor kick;
        FileDescriptor call;
        int nextAvail;
        private final ByteBuffer one = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()).putLong(0, 1);
        private final ByteBuffer counter = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        private boolean blockingCall;

        Ring(int q, int size) {
            this.q = q;
            this.size = size;
            long base = q * RING_STRIDE;
            this.desc = base;
            this.avail = base + 0x2000;
            this.used = base + 0x3000;
            mem.putShort((int) used + 2, (short) 0);
        }

        long table(int slot) {
            return q * RING_STRIDE + 0x8000 + 64L * slot;
        }

        long header(int slot) {
            return q * RING_STRIDE + 0x10000 + 16L * slot;
        }

        long statusAddr(int slot) {
            return q * RING_STRIDE + 0x18000 + slot;
        }

        long data(int slot) {
            return DATA + ((long) q * MAX_SIZE + slot) * SLOT_DATA;
        }

        /** Writes descriptor {@code i} of the table at {@code table}. */
        Ring desc(long table, int i, long addr, long len, int flags, int next) {
            int at = (int) table + 16 * i;
            mem.putLong(at, addr).putInt(at + 8, (int) len).putShort(at + 12, (short) flags)
                    .putShort(at + 14, (short) next);
            return this;
        }

        Ring desc(int i, long addr, long len, int flags, int next) {
            return desc(desc, i, addr, len, flags, next);
        }

        /**
         * Lays out request slot {@code slot}: the header, {@code out} as OUT data (or {@code inLen} writable
         * bytes, when {@code out} is null), the status byte; offers it; does not kick.
         */
        public Ring request(int slot, int type, long sector, byte[] out, int inLen) {
            mem.putInt((int) header(slot), type).putInt((int) header(slot) + 4, 0).putLong((int) header(slot) + 8, sector);
            mem.put((int) statusAddr(slot), (byte) 0xff);
            long t = table(slot);
            desc(t, 0, header(slot), 16, SplitQueue.F_NEXT, 1);
            int len = out != null ? out.length : inLen;
            if (out != null) {
                mem.put((int) data(slot), out);
            }
            int last = 1;
            if (len > 0) {
                desc(t, 1, data(slot), len, SplitQueue.F_NEXT | (out != null ? 0 : SplitQueue.F_WRITE), 2);
                last = 2;
            }
            desc(t, last, statusAddr(slot), 1, SplitQueue.F_WRITE, 0);
            desc(slot, t, 16L * (last + 1), SplitQueue.F_INDIRECT, 0);
            return offer(slot);
        }

        /** Makes chain {@code head} available and publishes the new avail.idx. */
        Ring offer(int head) {
            mem.putShort((int) avail + 4 + 2 * (nextAvail % size), (short) head);
            nextAvail = (nextAvail + 1) & 0xffff;
            // the chain and its ring entry are visible before the index that publishes them
            java.lang.invoke.VarHandle.releaseFence();
            mem.putShort((int) avail + 2, (short) nextAvail);
            return this;
        }

        Ring availIdx(int idx) {
            nextAvail = idx & 0xffff;
            mem.putShort((int) avail + 2, (short) nextAvail);
            return this;
        }

        public void kick() throws IOException {
            kick.write(one, 0, 8);
        }

        /**
         * Blocks until the back-end signals the call eventfd (as a guest's interrupt handler wakes), and
         * clears it; the first call turns the eventfd blocking.
         */
        public void awaitCall() throws IOException {
            if (!blockingCall) {
                int flags = Libc.fcntl(call.intValue(), Libc.F_GETFL, 0);
                Libc.fcntl(call.intValue(), Libc.F_SETFL, flags & ~Libc.O_NONBLOCK);
                blockingCall = true;
            }
            call.read(counter, 0, 8);
        }

        public int usedIdx() {
            int idx = Short.toUnsignedInt(mem.getShort((int) used + 2));
            // the entries and the data they return are read only after the index
            java.lang.invoke.VarHandle.acquireFence();
            return idx;
        }

        public int usedId(int entry) {
            return mem.getInt((int) used + 4 + 8 * (entry % size));
        }

        int usedLen(int entry) {
            return mem.getInt((int) used + 8 + 8 * (entry % size));
        }

        void awaitUsed(int idx) {
            await(() -> ((usedIdx() - idx) & 0x8000) == 0, "ring " + q + "'s used.idx to reach " + idx + " (at "
                    + usedIdx() + ")");
        }

        public int status(int slot) {
            return mem.get((int) statusAddr(slot)) & 0xff;
        }

        byte[] data(int slot, int len) {
            byte[] b = new byte[len];
            mem.get((int) data(slot), b);
            return b;
        }
    }
}
