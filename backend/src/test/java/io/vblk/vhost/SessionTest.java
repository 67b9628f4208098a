package io.vblk.vhost;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.protocol.BlkConfig;
import java.io.FileDescriptor;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A front-end of the tests' own drives a session as QEMU 7.2 does (features, owner, config, memory table,
 * one vring, then GET_VRING_BASE), over a real unix socket with the guest's memory in a shared file and real
 * eventfds; the ring the device is handed pops what the "guest" wrote.
 */
class SessionTest {
    private static final long GUEST_RAM = 1 << 20;
    private static final long USER_ADDR = 0x7f12_0000_0000L;

    @TempDir
    Path dir;

    /** The device's side, as the tests see it: what the session handed over, in order. */
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private volatile SplitQueue started;

    private final Session.Device device = new Session.Device() {
        @Override
        public long features() {
            return 1L << 32 | 1L << 6; // VERSION_1, BLK_SIZE
        }

        @Override
        public int queues() {
            return 1;
        }

        @Override
        public byte[] config() {
            return ConfigSpace.of(new BlkConfig(2048, 512, 64, 65536, 1, 128, 4194303, 1, 4194303, 1));
        }

        @Override
        public void started(int index, SplitQueue queue, GuestMemory memory, long features, int kickFd, int callFd,
                            int errFd) {
            started = queue;
            events.add("started " + index + " features 0x" + Long.toHexString(features) + " kick " + (kickFd >= 0)
                    + " call " + (callFd >= 0));
        }

        @Override
        public int stopped(int index) {
            events.add("stopped " + index);
            return started.nextAvail();
        }

        @Override
        public void signalsChanged(int index, int callFd, int errFd) {
            events.add("signals " + index);
        }

        @Override
        public boolean broken() {
            return false;
        }

        @Override
        public void reset() {
            events.add("reset");
        }

        @Override
        public void closed() {
            events.add("closed");
        }
    };

    private static ByteBuffer payload(int bytes) {
        return FrontEnd.payload(bytes);
    }

    private static ByteBuffer u64(long v) {
        return FrontEnd.u64(v);
    }

    private static ByteBuffer state(int index, int num) {
        return FrontEnd.state(index, num);
    }

    private static FileDescriptor eventFd() throws Exception {
        return FileDescriptorCast.unsafeUsing(io.netty.channel.epoll.Native.newEventFd().intValue())
                .as(FileDescriptor.class);
    }

    @Test
    void aFrontEndSetsUpARingAsQemuDoesAndTheDevicePopsWhatTheGuestWrote() throws Exception {
        AFUNIXSocketAddress address = AFUNIXSocketAddress.of(dir.resolve("vu.sock"));
        try (AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(address);
             FrontEnd fe = FrontEnd.connect(dir.resolve("vu.sock"), dir.resolve("guest-ram"));
             AFUNIXSocket conn = server.accept()) {
            conn.setAncillaryReceiveBufferSize(1024);
            InputStream connIn = conn.getInputStream();
            Thread t = new Thread(new Session("test", conn, connIn, conn.getOutputStream(), () -> {
                FileDescriptor[] got = conn.getReceivedFileDescriptors();
                int[] n = new int[got == null ? 0 : got.length];
                for (int k = 0; k < n.length; k++) {
                    n[k] = FileDescriptorCast.duplicating(got[k]).as(Integer.class);
                }
                return n;
            }, device), "vhost-session");
            t.start();

            long offered = fe.call(VhostUser.GET_FEATURES, null);
            assertThat(offered).isEqualTo(1L << 32 | 1L << 6 | 1L << VhostUser.F_PROTOCOL_FEATURES);
            long protocol = fe.call(VhostUser.GET_PROTOCOL_FEATURES, null);
            assertThat(protocol & 1L << VhostUser.PROTOCOL_F_REPLY_ACK).isNotZero();
            fe.send(VhostUser.SET_PROTOCOL_FEATURES, false, u64(protocol));
            assertThat(fe.call(VhostUser.GET_QUEUE_NUM, null)).isEqualTo(1);
            fe.acked(VhostUser.SET_OWNER, null);
            fe.acked(VhostUser.SET_FEATURES, u64(offered));
            fe.send(VhostUser.GET_CONFIG, false, payload(12 + 57).putInt(0).putInt(57).putInt(0));
            ByteBuffer config = fe.reply(VhostUser.GET_CONFIG);
            assertThat(config.getInt(4)).isEqualTo(57);
            assertThat(config.getLong(12)).as("capacity").isEqualTo(2048);
            assertThat(config.getShort(12 + 34)).as("num_queues").isEqualTo((short) 1);

            // one region of the shared file, seen by the front-end at USER_ADDR and by the guest at 0
            fe.acked(VhostUser.SET_MEM_TABLE, payload(8 + 32).putInt(1).putInt(0).putLong(0).putLong(GUEST_RAM)
                    .putLong(USER_ADDR).putLong(0), fe.file.getFD());
            fe.acked(VhostUser.SET_VRING_NUM, state(0, 8));
            fe.acked(VhostUser.SET_VRING_BASE, state(0, 0));
            fe.acked(VhostUser.SET_VRING_ADDR, payload(40).putInt(0).putInt(0).putLong(USER_ADDR + 0x1000)
                    .putLong(USER_ADDR + 0x3000).putLong(USER_ADDR + 0x2000).putLong(0));
            fe.acked(VhostUser.SET_VRING_CALL, u64(0), eventFd());
            fe.acked(VhostUser.SET_VRING_KICK, u64(0), eventFd());
            assertThat(events).as("disabled until SET_VRING_ENABLE (protocol features negotiated)").isEmpty();
            fe.acked(VhostUser.SET_VRING_ENABLE, state(0, 1));
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("started 0 features 0x140000040 kick true call true");

            // the guest makes one chain available; the device's ring pops it
            MappedByteBuffer g = fe.mem;
            g.putLong(0x1000, 0x8000).putInt(0x1008, 16).putShort(0x100c, (short) 0).putShort(0x100e, (short) 0);
            g.putShort(0x2004, (short) 0).putShort(0x2002, (short) 1);
            SplitQueue.Chain chain = new SplitQueue.Chain();
            assertThat(started.pop(chain)).isTrue();
            assertThat(chain.addr(0)).isEqualTo(0x8000);

            fe.send(VhostUser.GET_VRING_BASE, false, state(0, 0));
            ByteBuffer base = fe.reply(VhostUser.GET_VRING_BASE);
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("stopped 0");
            assertThat(base.getInt(0)).isZero();
            assertThat(base.getInt(4)).as("the next avail index").isEqualTo(1);

            fe.socket.close();
            t.join(5000);
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("closed");
        }
    }
}
