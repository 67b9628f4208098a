package io.vblk.vhost;

import static io.vblk.vhost.SplitQueue.F_INDIRECT;
import static io.vblk.vhost.SplitQueue.F_NEXT;
import static io.vblk.vhost.SplitQueue.F_WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.backend.Backend;
import io.vblk.protocol.VirtioBlk;
import io.vblk.testing.LeakCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The vhost-user door under a hostile guest and a hostile front-end, end to end through a real backend:
 * generated descriptor tables and avail rings on a running vring, and generated message sequences on the
 * control socket. Whatever comes, each try ends (the chains are answered or the ring stops; the session
 * ends), the backend answers every request it took, no buffer or fd leaks, and another device of the same
 * backend keeps its data and keeps serving. Tries are bounded: 10 000 rings of up to 4 chains (about 20 000
 * chains) and 3 000 sequences of up to 12 messages (about 13 000 sent before a session ends), over 50 000
 * with {@link SplitQueueProperties}' 20 000 rings beside them; the counts are printed.
 */
@AddLifecycleHook(LeakCheck.Jqwik.class)
class VhostFuzzProperties {
    private static final int SIZE = 8;
    private static final AtomicLong CHAINS = new AtomicLong();
    private static final AtomicLong ANSWERED = new AtomicLong();
    private static final AtomicLong BROKEN = new AtomicLong();
    private static final AtomicLong MESSAGES = new AtomicLong();

    private Path dir;
    private Backend backend;
    private FrontEnd vm;
    private FrontEnd other;
    private long fdsBefore;

    /** A backend with two vhost devices: "vm" takes the generated input, "other" is the bystander. */
    private void start() throws Exception {
        if (backend != null) {
            return;
        }
        dir = Files.createTempDirectory("vblk-vhost-fuzz");
        fdsBefore = openFds();
        backend = VhostDoorTest.start("devices:\n"
                + "  - {name: vm, size: 1MiB, vhost-user: {socket: " + dir.resolve("vm.sock") + "}}\n"
                + "  - {name: other, size: 1MiB, vhost-user: {socket: " + dir.resolve("other.sock") + "}}\n");
        other = FrontEnd.connect(dir.resolve("other.sock"), dir.resolve("other.ram"));
        other.negotiate();
        FrontEnd.Ring r = other.ring(0, 64, 0);
        r.request(0, VirtioBlk.T_OUT, 0, pattern(), 0).kick();
        r.awaitUsed(1);
    }

    private static byte[] pattern() {
        byte[] b = new byte[65536];
        new Random(42).nextBytes(b);
        return b;
    }

    private static long openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @AfterProperty
    void stop() throws Exception {
        if (backend == null) {
            return;
        }
        // the bystander's data, read back after everything the fuzz sent
        FrontEnd.Ring r = other.ring(0);
        int at = r.usedIdx();
        r.request(1, VirtioBlk.T_IN, 0, null, 65536).kick();
        r.awaitUsed(at + 1);
        assertThat(r.status(1)).isEqualTo(VirtioBlk.S_OK);
        assertThat(r.data(1, 65536)).as("the bystander's data").isEqualTo(pattern());
        if (vm != null) {
            vm.close();
        }
        other.close();
        FrontEnd.await(() -> backend.vhostFrontEnds() == 0, "both sessions to end");
        assertThat(backend.unanswered()).as("requests taken and never answered").isZero();
        backend.close();
        System.out.printf("vhost fuzz: %d chains offered, %d answered, %d rings stopped, %d messages sent%n",
                CHAINS.get(), ANSWERED.get(), BROKEN.get(), MESSAGES.get());
        // a little slack: the JVM itself may open a file (a jar, a log) meanwhile
        assertThat(openFds()).as("open fds after the fuzz").isLessThanOrEqualTo(fdsBefore + 8);
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    // --- chains

    /** One descriptor as the driver wrote it. */
    record Desc(long addr, long len, int flags, int next) {}

    /** A ring's worth of input: its table, one indirect table, and the heads offered (or a bad avail index). */
    record Rings(List<Desc> table, List<Desc> indirect, List<Integer> heads, int type, long sector, boolean badIdx) {}

    /**
     * Descriptor {@code i} of a table laid out as a Linux driver would (chains of header, data, status from
     * every third entry), each field replaced by a hostile value now and then: most chains stay requests the
     * device serves, and every rule gets broken by some.
     */
    private static Arbitrary<Desc> desc(int i, long base) {
        long addr = switch (i % 3) {
            case 0 -> FrontEnd.DATA + (i / 3) * 4096L;
            case 1 -> base + 0x10000 + i * 8192L;
            default -> base + 0x30000 + i;
        };
        Arbitrary<Long> a = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, Arbitraries.just(addr)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(0x8000L)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(FrontEnd.MEMORY - 64, FrontEnd.MEMORY + 64)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs()));
        Arbitrary<Long> len = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, i % 3 == 0 ? Arbitraries.just(16L) : i % 3 == 1
                        ? Arbitraries.of(512L, 4096L, 16L) : Arbitraries.just(1L)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(0, 8192)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0L, 0xffff_ffffL, 48L, 64L)));
        Arbitrary<Integer> flags = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, i % 3 == 0 ? Arbitraries.just(F_NEXT) : i % 3 == 1
                        ? Arbitraries.of(F_NEXT, F_NEXT | F_WRITE) : Arbitraries.just(F_WRITE)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 7)));
        Arbitrary<Integer> next = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, Arbitraries.just(i + 1)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, SIZE + 1)));
        return Combinators.combine(a, len, flags, next).as(Desc::new);
    }

    @Provide
    Arbitrary<Rings> rings() {
        List<Arbitrary<Desc>> table = new java.util.ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            table.add(desc(i, 0));
        }
        List<Arbitrary<Desc>> indirect = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            indirect.add(desc(i, 0x100000));
        }
        Arbitrary<Integer> head = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, Arbitraries.of(0, 3, 6)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, SIZE + 1)));
        Arbitrary<Integer> type = Arbitraries.of(VirtioBlk.T_IN, VirtioBlk.T_OUT, VirtioBlk.T_FLUSH, VirtioBlk.T_GET_ID,
                VirtioBlk.T_DISCARD, VirtioBlk.T_WRITE_ZEROES, 99);
        return Combinators.combine(Combinators.combine(table).as(l -> l), Combinators.combine(indirect).as(l -> l),
                head.list().ofMinSize(1).ofMaxSize(4), type, Arbitraries.longs().between(0, 2060),
                Arbitraries.frequency(net.jqwik.api.Tuple.of(30, false), net.jqwik.api.Tuple.of(1, true)))
                .as(Rings::new);
    }

    @Property(tries = 10_000)
    void anyRingIsAnsweredOrStoppedAndHurtsNoOtherDevice(@ForAll("rings") Rings in) throws Exception {
        start();
        if (vm == null) {
            vm = FrontEnd.connect(dir.resolve("vm.sock"), dir.resolve("vm.ram"));
            vm.negotiate();
            fresh();
        }
        FrontEnd.Ring r = vm.ring(0);
        // every data-area page starts with a header, so that valid chains make requests of every type
        for (int i = 0; i < 16; i++) {
            vm.mem.putInt((int) (FrontEnd.DATA + i * 4096L), in.type()).putInt((int) (FrontEnd.DATA + i * 4096L) + 4, 0)
                    .putLong((int) (FrontEnd.DATA + i * 4096L) + 8, in.sector() + i);
        }
        for (int i = 0; i < SIZE; i++) {
            Desc d = in.table().get(i);
            // descriptor 6 heads an indirect table when the generated one says so: a 0x8000 address
            if (i == 6 && in.indirect().get(0).addr() == FrontEnd.DATA) {
                r.desc(i, 0x8000, 48, F_INDIRECT, 0);
            } else {
                r.desc(i, d.addr(), d.len(), d.flags(), d.next());
            }
        }
        for (int i = 0; i < in.indirect().size(); i++) {
            Desc d = in.indirect().get(i);
            r.desc(0x8000, i, d.addr(), d.len(), d.flags(), i == 2 ? d.next() - 3 : d.next());
        }
        int from = r.usedIdx();
        if (in.badIdx()) {
            r.availIdx(r.nextAvail + SIZE + 1 + in.heads().size());
        } else {
            in.heads().forEach(r::offer);
        }
        CHAINS.addAndGet(in.heads().size());
        r.kick();
        int offered = in.badIdx() ? Integer.MAX_VALUE : in.heads().size();
        long[] status = {0};
        FrontEnd.await(() -> {
            if (((r.usedIdx() - from) & 0xffff) >= offered) {
                return true;
            }
            try {
                status[0] = vm.status();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return (status[0] & VhostUser.STATUS_NEEDS_RESET) != 0;
        }, "the chains to be answered or the ring to stop");
        ANSWERED.addAndGet((r.usedIdx() - from) & 0xffff);
        if ((status[0] & VhostUser.STATUS_NEEDS_RESET) != 0) {
            BROKEN.incrementAndGet();
            fresh();
        }
    }

    /** As a driver resets its device: stop the ring, zero the indexes, status 0, set it up again. */
    private void fresh() throws IOException {
        if (vm.ring(0) != null) {
            vm.vringBase(0);
        }
        vm.acked(VhostUser.SET_STATUS, FrontEnd.u64(0));
        vm.mem.putShort(0x2000 + 2, (short) 0).putShort(0x3000 + 2, (short) 0);
        vm.ring(0, SIZE, 0);
    }

    // --- messages

    /** A message as a hostile front-end may send it: any request, version, announced size and payload, some fds. */
    record Msg(int request, int flags, int size, byte[] payload, int fds) {}

    @Provide
    Arbitrary<List<Msg>> messages() {
        Arbitrary<Integer> request = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(1, 41)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers()));
        Arbitrary<Integer> flags = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of(VhostUser.FLAG_VERSION,
                        VhostUser.FLAG_VERSION | VhostUser.FLAG_NEED_REPLY)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers()));
        Arbitrary<byte[]> payload = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(0, 8, 12, 40, 72, 8 + 32).flatMap(n ->
                        Arbitraries.bytes().array(byte[].class).ofSize(n))),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)));
        Arbitrary<Integer> sizeSkew = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(-8, 5000)));
        Arbitrary<Integer> fds = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(2, 9)));
        return Combinators.combine(request, flags, payload, sizeSkew, fds)
                .as((rq, f, p, skew, n) -> new Msg(rq, f, Math.max(0, p.length + skew), p, n))
                .list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 3000)
    void anyMessageSequenceEndsOnlyItsOwnSession(@ForAll("messages") List<Msg> messages) throws Exception {
        start();
        if (vm != null) {
            vm.close();
            vm = null;
        }
        FrontEnd.await(() -> backend.vhostFrontEnds() == 1, "the last session to end");
        io.netty.channel.unix.FileDescriptor eventFd = io.netty.channel.epoll.Native.newEventFd();
        try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(dir.resolve("vm.sock")))) {
            s.setSoTimeout((int) FrontEnd.WAIT.toMillis());
            java.io.FileDescriptor fd = org.newsclub.net.unix.FileDescriptorCast.unsafeUsing(eventFd.intValue())
                    .as(java.io.FileDescriptor.class);
            try {
                for (Msg m : messages) {
                    ByteBuffer b = ByteBuffer.allocate(12 + m.payload().length).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                            .putInt(m.request()).putInt(m.flags()).putInt(m.size()).put(m.payload());
                    if (m.fds() > 0) {
                        java.io.FileDescriptor[] many = new java.io.FileDescriptor[m.fds()];
                        java.util.Arrays.fill(many, fd);
                        s.setOutboundFileDescriptors(many);
                    }
                    s.getOutputStream().write(b.array());
                    MESSAGES.incrementAndGet();
                }
                s.shutdownOutput();
            } catch (IOException e) {
                // the session refused a message and closed: what is left unsent does not matter
            }
            // the session ends: at the end of its input, or at the first message it refuses (a write into
            // its closed socket may already have closed ours)
            if (!s.isClosed()) {
                InputStream in = s.getInputStream();
                byte[] sink = new byte[4096];
                try {
                    while (in.read(sink) >= 0) {
                        // replies
                    }
                } catch (java.net.SocketException e) {
                    assertThat(e.getMessage()).contains("reset");
                }
            }
        } finally {
            eventFd.close();
        }
        FrontEnd.await(() -> backend.vhostFrontEnds() == 1, "the hostile session to end");
    }
}
