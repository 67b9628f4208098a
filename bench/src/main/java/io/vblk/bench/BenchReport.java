package io.vblk.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code vblk bench --json}: the machine, the settings, every cell measured, the sfq / fifo ratios and, with
 * {@code --curve}, the curve's points (null otherwise).
 */
public record BenchReport(Machine machine, @JsonProperty("warmup_s") double warmupSeconds,
                          @JsonProperty("duration_s") double durationSeconds, String setup, List<CellResult> cells,
                          @JsonProperty("sfq_vs_fifo") List<RatioRow> sfqVsFifo, Curve curve) {

    /** {@code load1} is the 1-minute load average when the run started: other work on the machine skews figures. */
    public record Machine(int cores, String cpu, String java, String os, double load1) {
        public static Machine current() {
            String cpu = "unknown";
            try {
                cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse(cpu);
            } catch (IOException | RuntimeException e) {
                // not Linux: the model stays unknown
            }
            return new Machine(Runtime.getRuntime().availableProcessors(), cpu,
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version"),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }

        public String line() {
            return String.format(Locale.ROOT, "%d cores, %s, %s, %s; load average %.2f at the start", cores, cpu, java,
                    os, load1);
        }
    }

    public record RatioRow(String rw, @JsonProperty("outstanding_per_device") int outstandingPerDevice, int devices, String mode,
                           @JsonProperty("fifo_iops") double fifoIops, @JsonProperty("sfq_iops") double sfqIops, double ratio) {
        public static List<RatioRow> of(List<CellResult> cells) {
            return BenchTable.Ratio.of(cells).stream().map(r -> new RatioRow(r.fifo().rw(), r.fifo().outstandingPerDevice(),
                    r.fifo().devices(), r.fifo().mode(), r.fifo().iops(), r.sfq().iops(), r.ratio())).toList();
        }
    }

    /** The curve's two axes, each point a cell; {@code chart} is the PNG's path. */
    public record Curve(String rw, String policy, String mode, List<CellResult> devices, List<CellResult> depth,
                        String chart) {}
}
