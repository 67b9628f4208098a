package io.vblk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.load.FakeBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** One set of flags: every command's help, -q, exit 2 for vblk alone, completion, --status-interval. */
class FlagsTest {
    @TempDir
    Path dir;
    private final Cli cli = new Cli();

    private static List<CommandLine> all(CommandLine cl) {
        List<CommandLine> out = new ArrayList<>(List.of(cl));
        cl.getSubcommands().values().stream().distinct().forEach(c -> out.addAll(all(c)));
        return out;
    }

    @Test
    void everyCommandsHelpListsItsExitCodesAndEveryQuietIsAlsoDashQ() {
        for (CommandLine c : all(VblkMain.commandLine())) {
            if (c.getCommand() instanceof CommandLine.HelpCommand) {
                continue;
            }
            String name = c.getCommandSpec().qualifiedName();
            assertThat(c.getUsageMessage()).as(name).contains("Exit codes: 0 ");
            if (c.getCommandSpec().findOption("--quiet") != null) {
                assertThat(c.getCommandSpec().findOption("-q")).as(name + " -q").isNotNull();
            }
        }
    }

    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    private final java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();

    /** experiment writes to System.out and System.err; these runs write to {@code out} and {@code err} instead. */
    private static int experiment(java.io.ByteArrayOutputStream out, java.io.ByteArrayOutputStream err, String... args) {
        List<String> line = new ArrayList<>(List.of("experiment"));
        line.addAll(List.of(args));
        ExperimentCommand c = VblkMain.commandLine().parseArgs(line.toArray(String[]::new)).subcommand().commandSpec()
                .commandLine().getCommand();
        return c.run(new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void experimentsRequestLogIsAFileAsInLoadAndAFolderIsRefusedWithTheNamesItWouldWrite() {
        assertThat(experiment(out, err, "seed", "-q", "--request-log", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("vblk experiment: --request-log " + dir + ": is a folder; --request-log names a "
                + "file, and each run's log goes beside it (" + dir.resolve("seed.VARIANT.jsonl") + ")\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void experimentsRequestLogInAMissingFolderIsRefusedBeforeAnythingRuns() {
        Path typo = dir.resolve("typo").resolve("seed.jsonl");
        assertThat(experiment(out, err, "seed", "-q", "--request-log", typo.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("vblk experiment: --request-log " + typo + ": no such directory "
                + typo.getParent() + "\n");
        assertThat(dir.resolve("typo")).doesNotExist();
    }

    @Test
    void anIntervalThatSplitsTheWindowTooFinelyIsRefusedBeforeAnythingRunsNamingTheLeastAllowed() {
        assertThat(experiment(out, err, "seed", "-q", "--duration", "10s", "--interval", "500us")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("vblk experiment: --interval 500us splits the 10s window into 20000 intervals, "
                + "at most 10000 are kept: give at least 1ms, or off\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anIntervalThatIsNoDurationIsAUsageErrorThatSaysOffIsAllowed() {
        assertThat(cli.run("experiment", "seed", "-q", "--interval", "soon")).isEqualTo(2);
        assertThat(cli.err()).contains("Invalid value for option '--interval': 'soon' is not a duration: expected a number "
                + "with a unit ns, us, ms, s, m or h (e.g. 500us, 2ms, 10s), or off");
    }

    @Test
    void vblkAlonePrintsItsHelpListingBackendOnStderrAndExitsTwo() {
        assertThat(cli.run()).isEqualTo(2);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err()).contains("Commands:", "  backend ", "  load ", "  completion ", "Exit codes");
    }

    @Test
    void bashCompletesTheSubcommandsFromTheGeneratedScript() throws Exception {
        assertThat(cli.run("completion", "bash")).isZero();
        Path script = dir.resolve("vblk-completion.bash");
        Files.writeString(script, cli.out());

        Process bash = new ProcessBuilder("bash", "-c", "source " + script
                + " && COMP_WORDS=(vblk lo) && COMP_CWORD=1 && COMP_LINE='vblk lo' && COMP_POINT=7"
                + " && _picocli_vblk && echo \"${COMPREPLY[@]}\"").redirectErrorStream(true).start();
        assertThat(bash.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String words = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(bash.exitValue()).as(words).isZero();
        assertThat(words.split("\\s+")).containsExactlyInAnyOrder("load", "logs");
    }

    @Test
    void theLiveLineComesEveryStatusInterval() throws Exception {
        try (FakeBackend backend = new FakeBackend().device("vm1", 1 << 20, 16).start()) {
            Path cfg = dir.resolve("load.yaml");
            Files.writeString(cfg, "load:\n  - device: vm1\n    processes: 2\n");

            int code = cli.run("load", "--config", cfg.toString(), "--target", backend.target(), "--duration", "1s",
                    "--warmup", "0s", "--status-interval", "200ms");

            assertThat(code).as(cli.err()).isZero();
            // a line every 200 ms over a run of 1 s (the last may fall after the window closed)
            assertThat(cli.err().lines().filter(l -> l.contains("vm1 ") && l.contains("IOPS")).count())
                    .isGreaterThanOrEqualTo(3);
            assertThat(cli.run("load", "--config", cfg.toString(), "--target", backend.target(),
                    "--status-interval", "1ms")).isEqualTo(2);
            assertThat(cli.err()).contains("--status-interval must be at least 100ms");
        }
    }
}
