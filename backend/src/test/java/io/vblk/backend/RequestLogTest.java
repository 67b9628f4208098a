package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.vblk.requestlog.DepthSample;
import io.vblk.requestlog.IdleSample;
import io.vblk.requestlog.RequestRecord;
import io.vblk.requestlog.RunHeader;
import io.vblk.result.BackendStats;
import io.vblk.result.DeviceStats;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every answered request leaves one complete record, its phases in order, under concurrent load. */
class RequestLogTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    @TempDir
    Path dir;

    @Test
    void recordsAreCompleteAndOrderedPerPhase() throws Exception {
        Path log = dir.resolve("requests.jsonl");
        int perDevice = 600;
        Backend b = Backends.start("mode: aio\nscheduler: {policy: sfq, depth: 4}\n"
                + "disk: {service-time: 50us, parallelism: 2}\nlog: {requests: " + log + "}\n"
                + "devices:\n  - {name: a, size: 16MiB, weight: 80}\n  - {name: b, size: 16MiB, weight: 20, mode: sync}\n");
        try (TestClient a = TestClient.attach(b, "a"); TestClient bb = TestClient.attach(b, "b")) {
            // 64 outstanding per device in rounds, mixed reads, writes and one refused range per round
            for (int round = 0; round < perDevice / 64; round++) {
                for (TestClient c : List.of(a, bb)) {
                    for (int i = 0; i < 63; i++) {
                        c.send(i % 2 == 0 ? BlkRequest.read(0, i, i * 8L, 4096)
                                : BlkRequest.write(0, i, i * 8L, Unpooled.wrappedBuffer(new byte[4096])));
                    }
                    c.send(BlkRequest.read(0, 63, 1L << 40, 512));
                }
                for (TestClient c : List.of(a, bb)) {
                    for (int i = 0; i < 64; i++) {
                        ((Completion) c.next()).release();
                    }
                }
            }
        } finally {
            b.close();
        }
        int rounds = perDevice / 64;
        List<RequestRecord> records = new ArrayList<>();
        List<String> lines = Files.readAllLines(log);
        RunHeader header = JSON.readValue(lines.get(0), RunHeader.class);
        assertThat(header.log()).isEqualTo("backend");
        assertThat(header.startNs()).isPositive();
        for (String line : lines.subList(1, lines.size())) {
            records.add(JSON.readValue(line, RequestRecord.class));
        }
        // one connection per device: two numbers, each on all of its device's records
        assertThat(records.stream().map(r -> r.device() + "/" + r.conn()).distinct()).hasSize(2);
        assertThat(records).hasSize(2 * rounds * 64);
        for (String device : List.of("a", "b")) {
            Set<Long> seqs = new HashSet<>();
            records.stream().filter(r -> r.device().equals(device)).forEach(r -> seqs.add(r.seq()));
            assertThat(seqs).as("seq of %s is 0..n-1, each once", device).hasSize(rounds * 64)
                    .allMatch(s -> s >= 0 && s < rounds * 64);
        }
        for (RequestRecord r : records) {
            assertThat(r.q()).as("%s", r).isPositive();
            assertThat(r.q() <= r.i() && r.i() <= r.d() && r.d() <= r.c() && r.c() <= r.r()).as("phases of %s", r).isTrue();
            if (r.status().equals("OK")) {
                assertThat(r.inServiceDevice()).as("%s", r).isBetween(1, 64);
                assertThat(r.dispatchedTotal()).as("%s", r).isBetween(1, 4);
                assertThat(r.bytes()).isEqualTo(4096);
                assertThat(r.type()).isIn("IN", "OUT");
            } else {
                assertThat(r.status()).isEqualTo("IOERR");
                assertThat(r.sector()).isEqualTo(1L << 40);
                assertThat(r.i()).isEqualTo(r.q());
            }
            assertThat(r.mode()).isEqualTo(r.device().equals("a") ? "aio" : "sync");
            assertThat(r.weight()).isEqualTo(r.device().equals("a") ? 80 : 20);
        }
        assertThat(records.stream().filter(r -> r.device().equals("b") && r.status().equals("OK"))
                .mapToInt(RequestRecord::inServiceDevice).max().orElseThrow()).as("sync keeps one in the request path").isEqualTo(1);
    }

    /** Polls the backend's counters until {@code done} holds; fails after 10 s. */
    private static BackendStats await(Backend b, java.util.function.Predicate<BackendStats> done, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (BackendStats s = b.stats(); ; s = b.stats()) {
            if (done.test(s)) {
                return s;
            }
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void roundTrip(TestClient c, long sector) throws InterruptedException {
        c.send(BlkRequest.read(0, 0, sector, 4096));
        ((Completion) c.next()).release();
    }

    @Test
    void theSchedulersIdleCountersAndDepthChangesAreSampledIntoTheLog() throws Exception {
        Path log = dir.resolve("cures.jsonl");
        // a misses its 50 us target at every window (the disk takes 200 us), so b's depth halves; 80/20 idles
        Backend b = Backends.start("mode: sync\nscheduler: {policy: sfq, depth: auto, idle: 2ms}\n"
                + "disk: {service-time: 200us, parallelism: 4}\nlog: {requests: " + log + "}\n"
                + "devices:\n  - {name: a, size: 16MiB, weight: 80, latency-target: 50us}\n"
                + "  - {name: b, size: 16MiB, weight: 20}\n");
        BackendStats after;
        try (TestClient a = TestClient.attach(b, "a"); TestClient bb = TestClient.attach(b, "b")) {
            long n = 0;
            while (b.stats().devices().get(1).depth().depth() > 16) {
                a.send(BlkRequest.read(0, 0, n * 8, 4096));
                roundTrip(bb, n * 8);
                ((Completion) a.next()).release();
                n++;
            }
            // a's last request leaves the disk idled for it until the window ends; b's next arrival then ends it
            roundTrip(a, 0);
            await(b, s -> s.devices().get(0).idleNanos() >= 2_000_000L, "a's idle window to pass");
            roundTrip(bb, 0);
        } finally {
            b.close();
            after = b.stats();
        }
        Map<String, IdleSample> lastIdle = new HashMap<>();
        Map<String, List<long[]>> depths = new HashMap<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith(IdleSample.PREFIX)) {
                IdleSample s = JSON.readValue(line, IdleSample.class);
                assertThat(lastIdle.get(s.device())).as("idle counters only grow")
                        .matches(p -> p == null || (p.t() < s.t() && p.idleNs() <= s.idleNs()
                                && p.idleArrivals() <= s.idleArrivals() && p.idleTimeouts() <= s.idleTimeouts()));
                lastIdle.put(s.device(), s);
            } else if (line.startsWith(DepthSample.PREFIX)) {
                DepthSample s = JSON.readValue(line, DepthSample.class);
                depths.computeIfAbsent(s.device(), k -> new ArrayList<>()).add(new long[] {s.t(), s.depth()});
            }
        }
        for (DeviceStats d : after.devices()) {
            // the last sample is taken after the event loops stopped: the counters are final by then
            IdleSample last = lastIdle.get(d.name());
            if (d.idleArrivals() + d.idleTimeouts() > 0) {
                assertThat(last).as("%s's idle sample", d.name()).isNotNull();
                assertThat(last.idleArrivals()).isEqualTo(d.idleArrivals());
                assertThat(last.idleTimeouts()).isEqualTo(d.idleTimeouts());
                // an idle period open at the end grows the later snapshot, by at most one window
                assertThat(d.idleNanos() - last.idleNs()).isBetween(0L, 2_000_000L);
            }
            assertThat(depths.get(d.name())).as("%s's depth changes, as the scheduler keeps them", d.name())
                    .containsExactlyElementsOf(d.depth().series());
        }
        assertThat(after.devices().get(0).idleTimeouts()).as("a's window timed out once at least").isPositive();
        assertThat(after.devices().get(0).idleArrivals()).as("a's next request ended an idle period").isPositive();
        assertThat(depths.get("b")).as("b's depth from 64 down to 16 or lower").hasSizeGreaterThanOrEqualTo(3);
        assertThat(depths.get("b").get(0)[1]).isEqualTo(64);
    }
}
