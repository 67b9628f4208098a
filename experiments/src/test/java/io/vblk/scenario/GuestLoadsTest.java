package io.vblk.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.config.ConfigException;
import io.vblk.config.ConfigLoader;
import io.vblk.config.GuestSpec;
import io.vblk.config.Pattern;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A scenario's load entries that are real guests: read beside simulated ones, checked at their own lines. */
class GuestLoadsTest {
    /** A guest on a and b, simulated processes on c: load[0] is line 11, load[1] line 12. */
    private static final String BASE = """
            name: t
            duration: 5s
            warmup: 1s
            backend:
              mode: sync
              devices:
                - {name: a, size: 1GiB, weight: 80}
                - {name: b, size: 1GiB, weight: 20, queues: 2}
                - {name: c, size: 1GiB, weight: 20}
            load:
              - guest: {name: vm, devices: [a, b], processes: 16, pattern: randrw}
              - {device: c, processes: 4}
            variants:
              - {label: sync, backend.mode: sync}
            """;

    private static ConfigException.Located onlyProblem(String yaml) {
        return ScenarioLoaderTest.onlyProblem(yaml);
    }

    @Test
    void aGuestEntryIsReadBesideSimulatedProcessesWithItsDefaults() {
        Scenario.Variant v = ScenarioLoader.parse(BASE, "f.yaml").variants().get(0);

        assertThat(v.guests()).containsExactly(new GuestSpec("vm", List.of("a", "b"), 16, Pattern.RANDRW, 50, null, 2,
                null));
        assertThat(v.guests().get(0).memory().bytes()).isEqualTo(512L << 20);
        assertThat(v.load().load()).extracting(io.vblk.config.LoadSpec::device).containsExactly("c");
        assertThat(v.devices()).as("the driven devices in the file's order").containsExactly("a", "b", "c");
        // a guest's disk is one entry per virtqueue, its processes spread over them, on QEMU's ring of 128
        assertThat(Feasibility.concurrency(v, "a")).isEqualTo(1);
        assertThat(Feasibility.concurrency(v, "b")).isEqualTo(2);
        assertThat(ExperimentRunner.names(v)).containsExactly("a", "b", "c");
    }

    @Test
    void theBackendGetsASocketForEachGuestDiskAndNoOther() {
        Scenario.Variant v = ScenarioLoader.parse(BASE, "f.yaml").variants().get(0);

        String yaml = GuestRun.backendYaml(v, Path.of("/tmp/vu"));
        var devices = ConfigLoader.parse(yaml, io.vblk.config.BackendConfig.class, "b.yaml").devices();
        assertThat(devices).extracting(d -> d.vhostUser() == null ? null : d.vhostUser().socket())
                .containsExactly("/tmp/vu/a.sock", "/tmp/vu/b.sock", null);
    }

    @Test
    void aMistakeInAGuestIsReportedAtItsLine() {
        assertThat(onlyProblem(BASE.replace("processes: 16, pattern: randrw", "processes: 0")))
                .extracting(ConfigException.Located::line, ConfigException.Located::path)
                .containsExactly(11, "load[0].guest.processes");
        assertThat(onlyProblem(BASE.replace("pattern: randrw}", "pattern: randrw, disks: [a]}")).path())
                .isEqualTo("load[0].guest.disks");
        assertThat(onlyProblem(BASE.replace("pattern: randrw}", "pattern: read}")).message())
                .startsWith("a guest does random I/O: randread, randwrite or randrw");
        ConfigException.Located unknown = onlyProblem(BASE.replace("devices: [a, b]", "devices: [a, z]"));
        assertThat(unknown.line()).isEqualTo(11);
        assertThat(unknown.message()).isEqualTo("'z' is not a device of the backend (a, b, c)");
    }

    @Test
    void aSimulatedEntryAfterAGuestIsNamedAtItsOwnIndexAndLine() {
        ConfigException.Located p = onlyProblem(BASE.replace("{device: c, processes: 4}", "{device: c, processes: -1}"));
        assertThat(p.path()).isEqualTo("load[1].processes");
        assertThat(p.line()).isEqualTo(12);
        ConfigException.Located typo = onlyProblem(BASE.replace("{device: c, processes: 4}", "{device: c, procs: 4}"));
        assertThat(typo.path()).startsWith("load[1].");
        assertThat(typo.line()).isEqualTo(12);
    }

    @Test
    void aDiskBelongsToOneGuestAndNoSimulatedProcess() {
        assertThat(onlyProblem(BASE.replace("{device: c, processes: 4}", "{device: a, processes: 4}")).message())
                .isEqualTo("'a' is a disk of guest vm: simulated processes drive other devices");
        assertThat(onlyProblem(BASE.replace("{device: c, processes: 4}", "guest: {name: vm2, devices: [b]}")).message())
                .isEqualTo("'b' is a disk of guest vm already: a guest's disk is its alone");
        assertThat(onlyProblem(BASE.replace("  - guest: {name: vm,", "  - device: c\n    guest: {name: vm,")).message())
                .startsWith("a guest entry is {guest: {name, devices, processes, ...}} alone");
    }
}
