package io.vblk.vhost;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One front-end on a vhost-user socket, from SET_OWNER to close: negotiates features, maps the guest's memory,
 * sets up each vring and hands it to the {@link Device} once it may run, and stops it again on GET_VRING_BASE
 * (answered only once every chain it popped has been answered). Runs on one blocking thread of its own: the
 * control channel carries few messages, and a stop may wait for the device.
 *
 * <p>A ring runs once it has a kick fd and is enabled (immediately, if protocol features were not
 * negotiated). The BIOS drives queue 0 first; Linux then stops every ring, sends SET_FEATURES again and sets
 * them up anew, which is the same path again.
 */
public final class Session implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    /** What the session needs of the device behind it; every call comes from the session's thread. */
    public interface Device {
        /** virtio feature bits offered (the session adds {@link VhostUser#F_PROTOCOL_FEATURES}). */
        long features();

        int queues();

        /** The {@code virtio_blk_config} block, {@link ConfigSpace#BYTES} long. */
        byte[] config();

        /**
         * Ring {@code index} may run now, with the features the driver acknowledged; {@code callFd} and
         * {@code errFd} are -1 when the front-end gave none. The fds stay the session's.
         */
        void started(int index, SplitQueue queue, GuestMemory memory, long features, int kickFd, int callFd, int errFd);

        /** Running ring {@code index} signals new fds; returns once the old ones are no longer used. */
        void signalsChanged(int index, int callFd, int errFd);

        /** Whether a ring of the device broke the rules: its status then says NEEDS_RESET. */
        boolean broken();

        /** The driver reset the device (status 0): it is no longer broken. */
        void reset();

        /**
         * Ring {@code index} must stop; returns once every chain it popped has been answered, with the next avail
         * index it would have popped.
         */
        int stopped(int index);

        /** The front-end went away: stop everything. */
        void closed();
    }

    /** Protocol features offered: multiqueue, acknowledged requests, the config space and the device status. */
    static final long PROTOCOL_FEATURES = 1L << VhostUser.PROTOCOL_F_MQ | 1L << VhostUser.PROTOCOL_F_REPLY_ACK
            | 1L << VhostUser.PROTOCOL_F_CONFIG | 1L << VhostUser.PROTOCOL_F_STATUS;

    private final java.io.Closeable connection;
    private final InputStream in;
    private final OutputStream out;
    private final Message.FdSource fds;
    private final Device device;
    private final String name;
    private final Ring[] rings;
    // all fields below: the session's thread only
    private long features;
    private long protocolFeatures;
    private GuestMemory memory;
    private long status;
    // set once the front-end is gone and the session is stopping its rings: any thread may read it
    private volatile boolean ending;
    // the front-end broke the protocol: the session refused it (counted in the door's metrics)
    private volatile boolean refused;

    /** One vring as the front-end has set it up so far. */
    private static final class Ring {
        int num;
        int base;
        Message.VringAddr addr;
        int kickFd = -1;
        int callFd = -1;
        int errFd = -1;
        boolean enabled;
        boolean running;
    }

    /** @param connection closed when the session ends, whatever ends it */
    public Session(String name, java.io.Closeable connection, InputStream in, OutputStream out, Message.FdSource fds,
                   Device device) {
        this.name = name;
        this.connection = connection;
        this.in = in;
        this.out = out;
        this.fds = fds;
        this.device = device;
        this.rings = new Ring[device.queues()];
        for (int i = 0; i < rings.length; i++) {
            rings[i] = new Ring();
        }
    }

    /** Whether the session ended because the front-end broke the protocol (read once {@link #run} returned). */
    boolean refused() {
        return refused;
    }

    @Override
    public void run() {
        try {
            Message m;
            while ((m = Message.read(in, fds)) != null) {
                try {
                    handle(m);
                } finally {
                    // what a handler did not take (an fd on a message that carries none, a mapped region's fd)
                    m.closeFds();
                }
            }
        } catch (Message.ProtocolFault | SplitQueue.Fault | GuestMemory.Fault e) {
            refused = true;
            log.warn("{}: vhost-user front-end refused: {}", name, e.getMessage());
        } catch (IOException e) {
            log.info("{}: vhost-user front-end gone: {}", name, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("{}: vhost-user session failed", name, e);
        } finally {
            ending = true;
            for (int i = 0; i < rings.length; i++) {
                stop(i);
            }
            device.closed();
            for (Ring r : rings) {
                closeFd(r.kickFd);
                closeFd(r.callFd);
                closeFd(r.errFd);
            }
            try {
                connection.close();
            } catch (IOException e) {
                log.debug("{}: closing the socket: {}", name, e.toString());
            }
        }
    }

    /** Whether the front-end is gone and the session only waits for its rings to stop. */
    public boolean ending() {
        return ending;
    }

    private void handle(Message m) throws IOException {
        switch (m.request()) {
            case VhostUser.GET_FEATURES -> reply(m, u64(device.features() | 1L << VhostUser.F_PROTOCOL_FEATURES));
            case VhostUser.SET_FEATURES -> {
                long f = m.u64();
                long extra = f & ~(device.features() | 1L << VhostUser.F_PROTOCOL_FEATURES);
                if (extra != 0) {
                    throw new Message.ProtocolFault("SET_FEATURES names features not offered: 0x" + Long.toHexString(extra));
                }
                features = f;
                ack(m, true);
            }
            case VhostUser.GET_PROTOCOL_FEATURES -> reply(m, u64(PROTOCOL_FEATURES));
            case VhostUser.SET_PROTOCOL_FEATURES -> {
                protocolFeatures = m.u64() & PROTOCOL_FEATURES;
                ack(m, true);
            }
            case VhostUser.SET_OWNER, VhostUser.SET_BACKEND_REQ_FD -> ack(m, true);
            case VhostUser.RESET_OWNER -> {
                for (int i = 0; i < rings.length; i++) {
                    stop(i);
                }
                ack(m, true);
            }
            case VhostUser.GET_QUEUE_NUM -> reply(m, u64(rings.length));
            case VhostUser.GET_MAX_MEM_SLOTS -> reply(m, u64(VhostUser.MAX_FDS));
            case VhostUser.SET_MEM_TABLE -> {
                // the mappings outlive the fds, which are closed with the message
                memory = GuestMemory.map(m.memoryTable(), m.fds());
                ack(m, true);
            }
            case VhostUser.SET_VRING_NUM -> {
                Message.VringState s = m.vringState();
                ring(s.index()).num = (int) s.num();
                ack(m, true);
            }
            case VhostUser.SET_VRING_BASE -> {
                Message.VringState s = m.vringState();
                ring(s.index()).base = (int) (s.num() & 0xffff);
                ack(m, true);
            }
            case VhostUser.SET_VRING_ADDR -> {
                Message.VringAddr a = m.vringAddr();
                ring(a.index()).addr = a;
                ack(m, true);
            }
            case VhostUser.SET_VRING_KICK, VhostUser.SET_VRING_CALL, VhostUser.SET_VRING_ERR -> vringFd(m);
            case VhostUser.SET_VRING_ENABLE -> {
                Message.VringState s = m.vringState();
                ring(s.index()).enabled = s.num() != 0;
                startIfReady(s.index());
                ack(m, true);
            }
            case VhostUser.GET_VRING_BASE -> {
                Message.VringState s = m.vringState();
                Ring r = ring(s.index());
                int next = stop(s.index());
                r.base = next;
                closeFd(r.kickFd);
                r.kickFd = -1;
                reply(m, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(s.index()).putInt(next).array());
            }
            case VhostUser.GET_CONFIG -> {
                if (m.payload().capacity() < 12) {
                    throw new Message.ProtocolFault("GET_CONFIG has " + m.payload().capacity() + " bytes of payload");
                }
                long offset = Integer.toUnsignedLong(m.payload().getInt(0));
                long size = Integer.toUnsignedLong(m.payload().getInt(4));
                byte[] config = device.config();
                if (offset + size > config.length || m.payload().capacity() != 12 + size) {
                    throw new Message.ProtocolFault("GET_CONFIG asks for bytes " + offset + " to " + (offset + size)
                            + " of a " + config.length + "-byte config");
                }
                ByteBuffer r = ByteBuffer.allocate(12 + (int) size).order(ByteOrder.LITTLE_ENDIAN)
                        .putInt((int) offset).putInt((int) size).putInt(m.payload().getInt(8));
                r.put(config, (int) offset, (int) size);
                reply(m, r.array());
            }
            case VhostUser.SET_CONFIG -> ack(m, false);
            case VhostUser.SET_STATUS -> {
                status = m.u64() & 0xff;
                if (status == 0) {
                    device.reset();
                }
                ack(m, true);
            }
            case VhostUser.GET_STATUS -> reply(m, u64(status | (device.broken() ? VhostUser.STATUS_NEEDS_RESET : 0)));
            default -> {
                log.info("{}: vhost-user {} not handled", name, m.name());
                ack(m, false);
            }
        }
    }

    private Ring ring(int index) throws Message.ProtocolFault {
        if (index < 0 || index >= rings.length) {
            throw new Message.ProtocolFault("vring " + index + " of a device with " + rings.length);
        }
        return rings[index];
    }

    private void vringFd(Message m) throws IOException {
        long word = m.u64();
        int index = (int) (word & VhostUser.VRING_INDEX_MASK);
        Ring r = ring(index);
        boolean noFd = (word & VhostUser.VRING_NOFD) != 0;
        if (noFd ? m.fds().length != 0 : m.fds().length != 1) {
            throw new Message.ProtocolFault(m.name() + " for vring " + index + " carries " + m.fds().length + " fds");
        }
        int fd = noFd ? -1 : m.take(0);
        switch (m.request()) {
            case VhostUser.SET_VRING_KICK -> {
                if (noFd) {
                    throw new Message.ProtocolFault("SET_VRING_KICK without an fd: vblk does not poll rings");
                }
                // the device listens on the old fd until it has stopped
                r.base = stop(index);
                closeFd(r.kickFd);
                r.kickFd = fd;
                // without protocol features a ring runs as soon as it has its kick fd
                if ((features & 1L << VhostUser.F_PROTOCOL_FEATURES) == 0) {
                    r.enabled = true;
                }
                startIfReady(index);
            }
            case VhostUser.SET_VRING_CALL -> {
                int old = r.callFd;
                r.callFd = fd;
                if (r.running) {
                    device.signalsChanged(index, r.callFd, r.errFd);
                }
                closeFd(old);
            }
            default -> {
                int old = r.errFd;
                r.errFd = fd;
                if (r.running) {
                    device.signalsChanged(index, r.callFd, r.errFd);
                }
                closeFd(old);
            }
        }
        ack(m, true);
    }

    private void startIfReady(int index) {
        Ring r = rings[index];
        if (r.running || !r.enabled || r.kickFd < 0 || r.addr == null || memory == null || r.num == 0) {
            return;
        }
        GuestMemory m = memory;
        SplitQueue q = new SplitQueue(m, r.num, m.guestAddress(r.addr.desc(), 16L * r.num),
                m.guestAddress(r.addr.avail(), 6 + 2L * r.num), m.guestAddress(r.addr.used(), 6 + 8L * r.num), r.base);
        r.running = true;
        device.started(index, q, m, features, r.kickFd, r.callFd, r.errFd);
    }

    /** Stops ring {@code index} if it runs, and returns where popping would go on. */
    private int stop(int index) {
        Ring r = rings[index];
        if (r.running) {
            r.running = false;
            r.base = device.stopped(index);
        }
        return r.base;
    }

    /** REPLY_ACK: a message that asked for it gets a u64, 0 for success. */
    private void ack(Message m, boolean ok) throws IOException {
        if (m.needsReply() && (protocolFeatures & 1L << VhostUser.PROTOCOL_F_REPLY_ACK) != 0) {
            reply(m, u64(ok ? 0 : 1));
        }
    }

    private void reply(Message m, byte[] payload) throws IOException {
        byte[] frame = Arrays.copyOf(m.replyHeader(payload.length), VhostUser.HEADER_BYTES + payload.length);
        System.arraycopy(payload, 0, frame, VhostUser.HEADER_BYTES, payload.length);
        out.write(frame);
        out.flush();
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static void closeFd(int fd) {
        if (fd >= 0) {
            Fds.close(fd);
        }
    }
}
