package io.vblk.vhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/** Messages over a real unix socket, fds passed as SCM_RIGHTS, read as the back-end reads them. */
class MessageTest {
    @TempDir
    Path dir;

    private static byte[] message(int request, int flags, ByteBuffer payload) {
        int size = payload == null ? 0 : payload.capacity();
        ByteBuffer b = ByteBuffer.allocate(VhostUser.HEADER_BYTES + size).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(request).putInt(flags).putInt(size);
        if (payload != null) {
            b.put(payload.array());
        }
        return b.array();
    }

    private static ByteBuffer payload(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Sends {@code bytes} (with {@code fds} on the first write) from a client and reads messages on the server. */
    private interface Reading {
        void check(InputStream in, Message.FdSource fds) throws Exception;
    }

    private void exchange(byte[] bytes, FileDescriptor[] fds, Reading reading) throws Exception {
        AFUNIXSocketAddress address = AFUNIXSocketAddress.of(dir.resolve("vu.sock"));
        try (AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(address);
             AFUNIXSocket client = AFUNIXSocket.connectTo(address);
             AFUNIXSocket conn = server.accept()) {
            // the ancillary buffer defaults to 0, which drops fds silently
            conn.setAncillaryReceiveBufferSize(1024);
            OutputStream out = client.getOutputStream();
            if (fds.length > 0) {
                client.setOutboundFileDescriptors(fds);
            }
            out.write(bytes);
            out.flush();
            client.shutdownOutput();
            reading.check(conn.getInputStream(), () -> {
                FileDescriptor[] got = conn.getReceivedFileDescriptors();
                int[] n = new int[got == null ? 0 : got.length];
                for (int k = 0; k < n.length; k++) {
                    n[k] = FileDescriptorCast.using(got[k]).as(Integer.class);
                }
                return n;
            });
        }
    }

    @Test
    void aMemoryTableArrivesWithOneFdPerRegion() throws Exception {
        Path a = Files.writeString(dir.resolve("a"), "region a");
        Path b = Files.writeString(dir.resolve("b"), "region b");
        ByteBuffer p = payload(8 + 64).putInt(2).putInt(0)
                .putLong(0).putLong(0xa0000).putLong(0x7f00_0000_0000L).putLong(0)
                .putLong(0xc0000).putLong(0x1000_0000).putLong(0x7f00_000c_0000L).putLong(0xc0000);
        try (FileInputStream fa = new FileInputStream(a.toFile()); FileInputStream fb = new FileInputStream(b.toFile())) {
            exchange(message(VhostUser.SET_MEM_TABLE, VhostUser.FLAG_VERSION | VhostUser.FLAG_NEED_REPLY, p),
                    new FileDescriptor[] {fa.getFD(), fb.getFD()}, (in, fds) -> {
                        Message m = Message.read(in, fds);
                        assertThat(m.name()).isEqualTo("SET_MEM_TABLE (5)");
                        assertThat(m.needsReply()).isTrue();
                        List<Message.MemoryRegion> regions = m.memoryTable();
                        assertThat(regions).containsExactly(
                                new Message.MemoryRegion(0, 0xa0000, 0x7f00_0000_0000L, 0),
                                new Message.MemoryRegion(0xc0000, 0x1000_0000, 0x7f00_000c_0000L, 0xc0000));
                        assertThat(m.fds()).hasSize(2);
                        // the fds are the files the front-end opened
                        assertThat(Files.readString(Path.of("/proc/self/fd/" + m.fds()[1]))).isEqualTo("region b");
                        assertThat(Message.read(in, fds)).as("end of stream").isNull();
                    });
        }
    }

    @Test
    void messagesInABurstKeepTheirOwnPayloads() throws Exception {
        byte[] one = message(VhostUser.SET_VRING_NUM, VhostUser.FLAG_VERSION, payload(8).putInt(1).putInt(256));
        byte[] two = message(VhostUser.GET_FEATURES, VhostUser.FLAG_VERSION, null);
        byte[] both = new byte[one.length + two.length];
        System.arraycopy(one, 0, both, 0, one.length);
        System.arraycopy(two, 0, both, one.length, two.length);
        exchange(both, new FileDescriptor[0], (in, fds) -> {
            assertThat(Message.read(in, fds).vringState()).isEqualTo(new Message.VringState(1, 256));
            Message features = Message.read(in, fds);
            assertThat(features.request()).isEqualTo(VhostUser.GET_FEATURES);
            assertThat(features.replyHeader(8)).containsExactly(1, 0, 0, 0, 5, 0, 0, 0, 8, 0, 0, 0);
        });
    }

    @Test
    void wrongVersionsOversizedPayloadsAndShortPayloadsAreProtocolFaults() throws Exception {
        exchange(message(VhostUser.GET_FEATURES, 2, null), new FileDescriptor[0], (in, fds) ->
                assertThatThrownBy(() -> Message.read(in, fds)).isInstanceOf(Message.ProtocolFault.class)
                        .hasMessage("GET_FEATURES (1) has protocol version 2, not 1"));
        ByteBuffer huge = payload(12).putInt(VhostUser.SET_CONFIG).putInt(1).putInt(1 << 20);
        exchange(huge.array(), new FileDescriptor[0], (in, fds) ->
                assertThatThrownBy(() -> Message.read(in, fds)).isInstanceOf(Message.ProtocolFault.class)
                        .hasMessageContaining("announces 1048576 bytes of payload"));
        exchange(message(VhostUser.SET_VRING_ADDR, 1, payload(8).putLong(7)), new FileDescriptor[0], (in, fds) ->
                assertThatThrownBy(() -> Message.read(in, fds).vringAddr()).isInstanceOf(Message.ProtocolFault.class)
                        .hasMessage("SET_VRING_ADDR (9) has 8 bytes of payload, expected 40"));
        exchange(message(VhostUser.SET_MEM_TABLE, 1, payload(8 + 32).putInt(1)), new FileDescriptor[0], (in, fds) ->
                assertThatThrownBy(() -> Message.read(in, fds).memoryTable()).isInstanceOf(Message.ProtocolFault.class)
                        .hasMessage("SET_MEM_TABLE (5) names 1 regions but carries 0 fds"));
    }

    @Test
    void aStreamCutInsideAMessageIsAnEndOfFileNotAHang() throws Exception {
        byte[] cut = java.util.Arrays.copyOf(message(VhostUser.SET_VRING_NUM, 1, payload(8).putInt(0).putInt(8)), 16);
        exchange(cut, new FileDescriptor[0], (in, fds) ->
                assertThatThrownBy(() -> Message.read(in, fds)).isInstanceOf(java.io.EOFException.class)
                        .hasMessageContaining("inside SET_VRING_NUM (8)"));
    }
}
