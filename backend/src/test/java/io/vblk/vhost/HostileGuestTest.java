package io.vblk.vhost;

import static io.vblk.vhost.SplitQueue.F_INDIRECT;
import static io.vblk.vhost.SplitQueue.F_NEXT;
import static io.vblk.vhost.SplitQueue.F_WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.backend.Backend;
import io.vblk.backend.LogLines;
import io.vblk.protocol.VirtioBlk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A guest that breaks the split-ring rules, one rule at a time, as QEMU's {@code virtqueue_pop} checks them:
 * its ring stops with one log line naming the fault, its status says NEEDS_RESET, and another device of
 * the same backend keeps serving, its data intact. A request that only asks too much gets the status the
 * spec prescribes and the ring goes on.
 */
class HostileGuestTest {
    private static final int SIZE = 8;

    @TempDir
    Path dir;

    /** Breaks one rule on ring {@code r} (size {@link #SIZE}); the kick follows. */
    private interface Fault {
        void write(FrontEnd.Ring r);
    }

    static Stream<Arguments> faults() {
        long header = FrontEnd.DATA;
        long status = FrontEnd.DATA + 0x1000;
        return Stream.of(
                Arguments.of("a descriptor outside every region", (Fault) r -> r.desc(0, FrontEnd.MEMORY + 4096, 16, 0, 0)
                        .offer(0), "outside guest memory"),
                Arguments.of("a length that wraps the address space", (Fault) r -> r.desc(0, -16L, 32, 0, 0).offer(0),
                        "outside guest memory"),
                Arguments.of("a loop", (Fault) r -> r.desc(0, header, 16, F_NEXT, 1).desc(1, status, 1, F_NEXT, 0)
                        .offer(0), "longer than its table of 8 (a loop?)"),
                Arguments.of("a chain longer than its indirect table", (Fault) r -> r
                        .desc(r.table(0), 0, header, 16, F_NEXT, 1).desc(r.table(0), 1, status, 1, F_NEXT, 0)
                        .desc(0, r.table(0), 32, F_INDIRECT, 0).offer(0), "longer than its table of 2"),
                Arguments.of("a write-only header", (Fault) r -> r.desc(0, header, 16, F_NEXT | F_WRITE, 1)
                        .desc(1, status, 1, F_WRITE, 0).offer(0), "0 device-readable bytes"),
                Arguments.of("a read-only status", (Fault) r -> r.desc(0, header, 16, F_NEXT, 1).desc(1, status, 1, 0, 0)
                        .offer(0), "no device-writable byte"),
                Arguments.of("a readable buffer after a writable one", (Fault) r -> r.desc(0, header, 16, F_NEXT | F_WRITE, 1)
                        .desc(1, status, 1, 0, 0).offer(0), "device-readable after a device-writable"),
                Arguments.of("an indirect table inside an indirect table", (Fault) r -> r
                        .desc(r.table(0), 0, r.table(1), 32, F_INDIRECT, 0).desc(0, r.table(0), 16, F_INDIRECT, 0).offer(0),
                        "is itself indirect"),
                Arguments.of("a header shorter than 16 bytes", (Fault) r -> r.desc(0, header, 8, F_NEXT, 1)
                        .desc(1, status, 1, F_WRITE, 0).offer(0), "8 device-readable bytes"),
                Arguments.of("no status byte", (Fault) r -> r.desc(0, header, 16, 0, 0).offer(0), "no device-writable byte"),
                Arguments.of("an avail index more than the ring ahead", (Fault) r -> r.availIdx(SIZE + 5),
                        "runs 13 entries ahead"),
                Arguments.of("an avail entry naming a descriptor past the table", (Fault) r -> r.offer(SIZE + 1),
                        "names descriptor 9"));
    }

    private Backend start(String disk) throws Exception {
        return VhostDoorTest.start(disk + "devices:\n"
                + "  - {name: vm, size: 16MiB, vhost-user: {socket: " + dir.resolve("vm.sock") + "}}\n"
                + "  - {name: other, size: 16MiB, vhost-user: {socket: " + dir.resolve("other.sock") + "}}\n");
    }

    private FrontEnd connect(String name) throws IOException {
        return FrontEnd.connect(dir.resolve(name + ".sock"), Files.createTempFile(dir, name, ".ram"));
    }

    private static byte[] pattern(long seed) {
        byte[] b = new byte[4096];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void aBrokenRuleStopsOnlyThatRing(String name, Fault fault, String logged) throws Exception {
        try (LogLines log = new LogLines(Vring.class); Backend b = start("");
             FrontEnd other = connect("other"); FrontEnd vm = connect("vm")) {
            other.negotiate();
            FrontEnd.Ring bystander = other.ring(0, 64, 0);
            bystander.request(0, VirtioBlk.T_OUT, 0, pattern(1), 0).kick();
            bystander.awaitUsed(1);

            vm.negotiate();
            FrontEnd.Ring r = vm.ring(0, SIZE, 0);
            fault.write(r);
            r.kick();
            FrontEnd.await(() -> !log.warnings().isEmpty(), "the ring to stop");

            assertThat(log.warnings()).singleElement().asString().startsWith("vm: vring 0 stopped: ").contains(logged)
                    .endsWith("the device needs a reset");
            assertThat(vm.status() & VhostUser.STATUS_NEEDS_RESET).isNotZero();
            assertThat(r.usedIdx()).as("nothing returned").isZero();
            bystander.request(1, VirtioBlk.T_IN, 0, null, 4096).request(2, VirtioBlk.T_OUT, 8, pattern(2), 0).kick();
            bystander.awaitUsed(3);
            assertThat(bystander.data(1, 4096)).isEqualTo(pattern(1));
            assertThat(new int[] {bystander.status(1), bystander.status(2)}).containsOnly(VirtioBlk.S_OK);
            assertThat(other.status() & VhostUser.STATUS_NEEDS_RESET).isZero();
        }
    }

    @Test
    void aChainMadeAvailableAgainWhileInServiceStopsTheRing() throws Exception {
        try (LogLines log = new LogLines(Vring.class);
             Backend b = start("mode: aio\ndisk: {service-time: 300ms, parallelism: 1}\n"); FrontEnd vm = connect("vm")) {
            vm.negotiate();
            FrontEnd.Ring r = vm.ring(0, SIZE, 0);
            r.request(0, VirtioBlk.T_IN, 0, null, 4096).kick();
            FrontEnd.await(() -> b.stats().devices().get(0).received() == 1, "the first chain to be popped");
            r.offer(0).kick();
            FrontEnd.await(() -> !log.warnings().isEmpty(), "the ring to stop");

            assertThat(log.warnings()).singleElement().asString().contains("chain 0 was made available again while in service");
            FrontEnd.await(() -> b.unanswered() == 0, "the request in service to complete");
            assertThat(r.usedIdx()).as("a broken ring returns nothing, not even what completed").isZero();
        }
    }

    @Test
    void aRequestOverTheDeviceLimitIsAnsweredIoerrWithoutACopyAndTheRingGoesOn() throws Exception {
        try (Backend b = start(""); FrontEnd vm = connect("vm")) {
            vm.negotiate();
            FrontEnd.Ring r = vm.ring(0, SIZE, 0);
            // 8 MiB of OUT data: twice seg_max * size_max
            long t = r.table(0);
            r.desc(t, 0, r.header(0), 16, F_NEXT, 1).desc(t, 1, FrontEnd.DATA, 8 << 20, F_NEXT, 2)
                    .desc(t, 2, r.statusAddr(0), 1, F_WRITE, 0).desc(0, t, 48, F_INDIRECT, 0);
            vm.mem.putInt((int) r.header(0), VirtioBlk.T_OUT).putLong((int) r.header(0) + 8, 0);
            r.offer(0).request(1, VirtioBlk.T_FLUSH, 0, null, 0).kick();
            r.awaitUsed(2);

            assertThat(r.status(0)).isEqualTo(VirtioBlk.S_IOERR);
            assertThat(r.status(1)).isEqualTo(VirtioBlk.S_OK);
            assertThat(vm.status() & VhostUser.STATUS_NEEDS_RESET).isZero();
        }
    }

    /** Whether the peer closed: at end of stream, or reset when it closed with our bytes unread. */
    static boolean endOfStream(java.io.InputStream in) throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    @Test
    void ringAddressesOutsideMemoryEndTheSessionAndTheDeviceTakesTheNextFrontEnd() throws Exception {
        io.netty.channel.unix.FileDescriptor kick = io.netty.channel.epoll.Native.newEventFd();
        try (Backend b = start("")) {
            try (FrontEnd vm = connect("vm")) {
                vm.negotiate();
                vm.acked(VhostUser.SET_VRING_NUM, FrontEnd.state(0, SIZE));
                vm.acked(VhostUser.SET_VRING_ADDR, FrontEnd.payload(40).putInt(0).putInt(0)
                        .putLong(FrontEnd.USER_ADDR + FrontEnd.MEMORY).putLong(FrontEnd.USER_ADDR + 0x3000)
                        .putLong(FrontEnd.USER_ADDR + 0x2000).putLong(0));
                vm.send(VhostUser.SET_VRING_KICK, false, FrontEnd.u64(0),
                        org.newsclub.net.unix.FileDescriptorCast.unsafeUsing(kick.intValue()).as(java.io.FileDescriptor.class));
                vm.send(VhostUser.SET_VRING_ENABLE, false, FrontEnd.state(0, 1));
                vm.socket.setSoTimeout(10_000);
                assertThat(endOfStream(vm.socket.getInputStream())).as("the session ends").isTrue();
            }
            try (FrontEnd next = connect("vm")) {
                next.negotiate();
                FrontEnd.Ring r = next.ring(0, SIZE, 0);
                r.request(0, VirtioBlk.T_FLUSH, 0, null, 0).kick();
                r.awaitUsed(1);
                assertThat(r.status(0)).isEqualTo(VirtioBlk.S_OK);
            }
        } finally {
            kick.close();
        }
    }
}
