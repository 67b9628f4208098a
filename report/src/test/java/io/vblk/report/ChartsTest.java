package io.vblk.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PNG charts and the text table of an experiment, from hand-made results. */
class ChartsTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    private static DeviceFigures device(String name, int weight, double weightShare, double share) {
        return new DeviceFigures(name, weight, weightShare, 10_000 * share, share, 0.4, 100 * (share - weightShare),
                1000 * share, 800, 4, 2, 8, 0, 0.95, weightShare, 1.0, null, null);
    }

    private static VariantResult variant(String label, Map<String, String> keys, DeviceFigures... devices) {
        List<DeviceFigures> d = List.of(devices);
        return new VariantResult(label, keys, "aio", "sfq", 1, d, Fairness.jain(d), Fairness.maxErrorPp(d), 0.9, 0.001,
                0.99, 0.5, 0.6, null, null, Fairness.explain("aio", "sfq", d, 0.9, 0.99, null));
    }

    private static ExperimentResult experiment(String name, List<VariantResult> variants) {
        return new ExperimentResult(name, "", 5, 1, 1, variants, List.of(), null);
    }

    private static Map<String, String> keys(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The seed's four variants, 80/20. */
    private static ExperimentResult seed() {
        double[][] shares = {{0.52, 0.48}, {0.79, 0.21}, {0.66, 0.34}, {0.8, 0.2}};
        String[] labels = {"sync", "aio", "sync io-throttle 1", "aio sfq"};
        List<VariantResult> v = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            v.add(variant(labels[i], keys("backend.mode", labels[i].startsWith("sync") ? "sync" : "aio"),
                    device("sda11", 80, 0.8, shares[i][0]), device("sda12", 20, 0.2, shares[i][1])));
        }
        return experiment("seed", v);
    }

    /** A depth sweep: every policy at every max-in-service, the 80-weight device's share rising with depth for two. */
    private static ExperimentResult sweep(List<String> policies, List<Integer> depths) {
        List<VariantResult> v = new ArrayList<>();
        for (String p : policies) {
            for (int d : depths) {
                double share = p.equals("fifo") ? 0.5 : Math.min(0.8, 0.5 + 0.05 * Integer.numberOfTrailingZeros(d));
                v.add(variant("policy=" + p + " max-in-service=" + d,
                        keys("backend.scheduler.policy", p, "backend.max-in-service", String.valueOf(d)),
                        device("sda11", 80, 0.8, share), device("sda12", 20, 0.2, 1 - share)));
            }
        }
        return experiment("depth-sweep", v);
    }

    private static BufferedImage readPng(Path png) throws Exception {
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(PNG_SIGNATURE.length);
        assertThat(Arrays.copyOf(bytes, PNG_SIGNATURE.length)).isEqualTo(PNG_SIGNATURE);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        return image;
    }

    /** Colours that fill large areas of the picture and are not grey: one per series of bars. */
    private static long barColours(BufferedImage image) {
        Map<Integer, Integer> count = new HashMap<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                int r = rgb >> 16;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
                    count.merge(rgb, 1, Integer::sum);
                }
            }
        }
        return count.values().stream().filter(n -> n >= 1000).count();
    }

    private List<Path> filesInDir() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    // ---- shares

    @Test
    void sharesWritesAPngOfEveryVariantsSharesIntoTheDirectory() throws Exception {
        Path png = Charts.shares(seed(), dir);

        assertThat(png).isEqualTo(dir.resolve("seed-shares.png"));
        BufferedImage image = readPng(png);
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(500);
        assertThat(barColours(image)).isEqualTo(2);
    }

    @Test
    void sharesDrawsThreeDevicesAsThreeSeries() throws Exception {
        ExperimentResult r = experiment("three-way", List.of(
                variant("sfq", keys("backend.scheduler.policy", "sfq"), device("a", 50, 0.5, 0.5), device("b", 30, 0.3, 0.3),
                        device("c", 20, 0.2, 0.2)),
                variant("ioband", keys("backend.scheduler.policy", "ioband"), device("a", 50, 0.5, 0.45),
                        device("b", 30, 0.3, 0.32), device("c", 20, 0.2, 0.23))));

        assertThat(barColours(readPng(Charts.shares(r, dir)))).isEqualTo(3);
    }

    @Test
    void sharesKeepsADeviceWhoseWeightChangesBetweenVariants() throws Exception {
        ExperimentResult r = experiment("weights", List.of(
                variant("weight=50", keys("backend.devices[0].weight", "50"), device("a", 50, 0.5, 0.5), device("b", 50, 0.5, 0.5)),
                variant("weight=80", keys("backend.devices[0].weight", "80"), device("a", 80, 0.8, 0.7), device("b", 20, 0.2, 0.3)),
                variant("weight=90", keys("backend.devices[0].weight", "90"), device("a", 90, 0.9, 0.8), device("b", 10, 0.1, 0.2))));

        assertThat(barColours(readPng(Charts.shares(r, dir)))).isEqualTo(2);
    }

    @Test
    void sharesKeepsDevicesOfTwoExperimentsInSeriesByTheirPlace() throws Exception {
        // the demo's chart: the seed's sync and aio beside vm-vs-host, whose devices have other names
        List<VariantResult> v = new ArrayList<>(seed().variants().subList(0, 2));
        v.add(variant("vm-vs-host ioband", keys("backend.scheduler.policy", "ioband"), device("vm", 80, 0.8, 0.03),
                device("host", 20, 0.2, 0.97)));

        assertThat(barColours(readPng(Charts.shares(experiment("demo", v), dir)))).isEqualTo(2);
    }

    @Test
    void aScenarioNamedAfterItsPathStillWritesIntoTheDirectory() throws Exception {
        ExperimentResult r = experiment("/tmp/elsewhere/my scenario.yaml", seed().variants());

        Path png = Charts.shares(r, dir);

        assertThat(png.getParent()).isEqualTo(dir);
        assertThat(png.getFileName().toString()).isEqualTo("tmp-elsewhere-my-scenario.yaml-shares.png");
        readPng(png);
    }

    @Test
    void fileNamesKeepOnlySafeCharacters() {
        assertThat(Charts.fileName("seed")).isEqualTo("seed");
        assertThat(Charts.fileName("depth-sweep")).isEqualTo("depth-sweep");
        assertThat(Charts.fileName("../up")).isEqualTo("up");
        assertThat(Charts.fileName("a/b c")).isEqualTo("a-b-c");
        assertThat(Charts.fileName("///")).isEqualTo("scenario");
    }

    // ---- sweep

    @Test
    void sweepDrawsTheFirstDevicesShareAgainstTheNumericAxis() throws Exception {
        Path png = Charts.sweep(sweep(List.of("fifo", "ioband", "sfq"), List.of(1, 2, 4, 8, 16, 32, 64, 128)), dir);

        assertThat(png).isEqualTo(dir.resolve("depth-sweep-sweep.png"));
        BufferedImage image = readPng(png);
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(500);
    }

    @Test
    void aSweepOfTheSchedulersDepthDrawsTheDepthChart() throws Exception {
        List<VariantResult> v = new ArrayList<>();
        for (int d : new int[] {1, 2, 4, 8, 16, 32, 64}) {
            double share = 1.0 / (d + 1);
            v.add(variant("depth=" + d, keys("backend.scheduler.depth", String.valueOf(d)), device("vm", 80, 0.8, share),
                    device("host", 20, 0.2, 1 - share)));
        }

        Path png = Charts.sweep(experiment("depth-vs-vm", v), dir);

        assertThat(png).isEqualTo(dir.resolve("depth-vs-vm-depth.png"));
        assertThat(readPng(png).getWidth()).isEqualTo(900);
        assertThat(filesInDir()).containsExactly(png);
    }

    @Test
    void aSweepCrossedWithRowsOfWeightsRunsAlongTheLastAxis() {
        // io-throttle-2008's shape: four weight pairs (two numeric keys of their own) x max-in-service 1, 2, 3
        List<VariantResult> v = new ArrayList<>();
        for (int w : new int[] {80, 50, 20, 10}) {
            for (int n = 1; n <= 3; n++) {
                v.add(variant(w + " max-in-service=" + n, keys("backend.devices[0].weight", String.valueOf(w),
                        "backend.devices[1].weight", String.valueOf(100 - w), "backend.max-in-service", String.valueOf(n)),
                        device("a", w, w / 100.0, 0.5), device("b", 100 - w, 1 - w / 100.0, 0.5)));
            }
        }

        assertThat(Charts.numericAxis(v)).isEqualTo("backend.max-in-service");
        assertThat(Charts.numericAxis(sweep(List.of("fifo", "sfq"), List.of(1, 2, 4)).variants()))
                .isEqualTo("backend.max-in-service");
    }

    @Test
    void sweepNeedsOnlyOneAxisWithThreeValues() throws Exception {
        List<VariantResult> v = new ArrayList<>();
        for (int d : new int[] {1, 4, 16}) {
            v.add(variant("max-in-service=" + d, keys("backend.max-in-service", String.valueOf(d)), device("a", 80, 0.8, 0.6),
                    device("b", 20, 0.2, 0.4)));
        }

        assertThat(Charts.sweep(experiment("one-axis", v), dir)).isEqualTo(dir.resolve("one-axis-sweep.png"));
    }

    @Test
    void sweepIsNullWhenNoNumericAxisHasThreeValues() throws Exception {
        // six variants, but the numeric axis takes only two values
        assertThat(Charts.sweep(sweep(List.of("fifo", "ioband", "sfq"), List.of(1, 128)), dir)).isNull();
        // fewer than three variants
        assertThat(Charts.sweep(sweep(List.of("sfq"), List.of(1, 128)), dir)).isNull();
        // three values, none numeric
        assertThat(Charts.sweep(sweep(List.of("fifo", "ioband", "sfq"), List.of(8)), dir)).isNull();
        // no keys at all
        assertThat(Charts.sweep(seed(), dir)).isNull();
        ExperimentResult noKeys = experiment("plain", List.of(variant("x", Map.of(), device("a", 1, 1, 1)),
                variant("y", Map.of(), device("a", 1, 1, 1)), variant("z", Map.of(), device("a", 1, 1, 1))));
        assertThat(Charts.sweep(noKeys, dir)).isNull();
        // a numeric key some variant lacks
        List<VariantResult> partial = new ArrayList<>(sweep(List.of("sfq"), List.of(1, 2, 4)).variants());
        partial.add(variant("default", keys("backend.scheduler.policy", "sfq"), device("sda11", 80, 0.8, 0.5)));
        assertThat(Charts.sweep(experiment("partial", partial), dir)).isNull();

        assertThat(filesInDir()).isEmpty();
    }

    // ---- what every chart shows

    /** A sweep of max-in-service over three devices weighted 50/30/20, the 50-weight one gaining with depth. */
    private static ExperimentResult threeDeviceSweep() {
        List<VariantResult> v = new ArrayList<>();
        for (int d : new int[] {1, 2, 4, 8, 16}) {
            double a = 0.33 + 0.03 * Integer.numberOfTrailingZeros(d);
            v.add(variant("max-in-service=" + d, keys("backend.max-in-service", String.valueOf(d)),
                    device("a", 50, 0.5, a), device("b", 30, 0.3, 0.3), device("c", 20, 0.2, 0.7 - a)));
        }
        return experiment("three-sweep", v);
    }

    private static List<String> names(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
        return chart.getSeriesCollection().stream().map(org.knowm.xchart.internal.series.Series::getName).toList();
    }

    @Test
    void aSweepDrawsEveryDeviceAndEachWeightShareNotOnlyTheFirstDevice() throws Exception {
        ExperimentResult r = threeDeviceSweep();
        org.knowm.xchart.XYChart chart = Charts.sweepChart(r, "backend.max-in-service");

        assertThat(names(chart)).contains("a", "b", "c", "a weight share 50%", "b weight share 30%", "c weight share 20%");
        for (String device : List.of("a", "b", "c")) {
            int at = List.of("a", "b", "c").indexOf(device);
            assertThat(chart.getSeries(device).getXData()).containsExactly(1.0, 2.0, 4.0, 8.0, 16.0);
            assertThat(chart.getSeries(device).getYData()).containsExactly(r.variants().stream()
                    .mapToDouble(v -> 100 * v.devices().get(at).share()).toArray());
        }
        assertThat(chart.getSeries("b weight share 30%").getYData()).containsOnly(30.0);
        assertThat(readPng(Charts.sweep(r, dir)).getHeight()).isEqualTo(500);
    }

    @Test
    void aSweepWithOtherKeysDrawsEveryDeviceOfEachLineNamedAfterItsLabel() {
        org.knowm.xchart.XYChart chart = Charts.sweepChart(sweep(List.of("fifo", "sfq"), List.of(1, 2, 4, 8)),
                "backend.max-in-service");

        assertThat(names(chart)).contains("sda11, policy=fifo", "sda12, policy=fifo",
                "sda11, policy=sfq", "sda12, policy=sfq", "sda11 weight share 80%", "sda12 weight share 20%");
        // 1 to 8 spans a factor of 8: a log scale
        assertThat(chart.getStyler().isXAxisLogarithmic()).isTrue();
        // io-throttle-2008's 1, 2, 3 does not
        List<VariantResult> v = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            v.add(variant("80:20 max-in-service=" + n, keys("backend.max-in-service", String.valueOf(n)),
                    device("sda11", 80, 0.8, 0.6), device("sda12", 20, 0.2, 0.4)));
        }
        assertThat(Charts.sweepChart(experiment("io", v), "backend.max-in-service").getStyler().isXAxisLogarithmic()).isFalse();
    }

    @Test
    void theDepthChartDrawsEveryDeviceAndTheWeightShare() {
        List<VariantResult> v = new ArrayList<>();
        for (int d : new int[] {1, 4, 16}) {
            v.add(variant("depth=" + d, keys("backend.scheduler.depth", String.valueOf(d)), device("vm", 80, 0.8, 1.0 / (d + 1)),
                    device("host", 20, 0.2, 1 - 1.0 / (d + 1))));
        }

        assertThat(names(Charts.depthChart(experiment("depth-vs-vm", v))))
                .contains("vm share, measured", "host share, measured", "vm weight share 80%", "1/(D+1)");
    }

    @Test
    void theSharesChartDrawsEachDevicesWeightShareAsALineOfItsColour() {
        org.knowm.xchart.CategoryChart chart = Charts.sharesChart(seed());

        var target = chart.getSeries("sda11 weight share");
        assertThat(target).isNotNull();
        assertThat(target.getChartCategorySeriesRenderStyle()).get()
                .isEqualTo(org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Line);
        assertThat(target.getYData()).containsOnly(80.0).hasSize(4);
        assertThat(target.getLineColor()).isEqualTo(chart.getSeries("sda11 (weight 80)").getFillColor());
        assertThat(chart.getSeries("sda12 weight share").getYData()).containsOnly(20.0);
    }

    @Test
    void twentyFourSweepLabelsAreShortAndUprightTheKeysInTheAxisTitle() {
        org.knowm.xchart.CategoryChart chart = Charts.sharesChart(sweep(List.of("fifo", "ioband", "sfq"),
                List.of(1, 2, 4, 8, 16, 32, 64, 128)));

        List<String> categories = chart.getSeries("sda11 (weight 80)").getXData().stream().map(String::valueOf).toList();
        assertThat(categories).hasSize(24).startsWith("fifo 1", "fifo 2").endsWith("sfq 128");
        assertThat(chart.getXAxisTitle()).isEqualTo("variant (policy, max-in-service)");
        assertThat(chart.getStyler().getXAxisLabelRotation()).isEqualTo(90);
        assertThat(chart.getStyler().isLabelsVisible()).as("values on 48 narrow bars").isFalse();
        // the seed's four labels fit as they are
        org.knowm.xchart.CategoryChart seed = Charts.sharesChart(seed());
        assertThat(seed.getSeries("sda11 (weight 80)").getXData().stream().map(String::valueOf).toList())
                .containsExactly("sync", "aio", "sync io-throttle 1", "aio sfq");
        assertThat(seed.getStyler().getXAxisLabelRotation()).isZero();
        assertThat(seed.getXAxisTitle()).isEqualTo("variant");
    }

    @Test
    void labelsOfDifferentKeysAreKeptWhole() {
        assertThat(VariantLabels.of(List.of("policy=fifo max-in-service=1", "weight=80 max-in-service=1")))
                .isEqualTo(new VariantLabels(List.of("policy=fifo max-in-service=1", "weight=80 max-in-service=1"), "variant"));
        assertThat(VariantLabels.of(List.of("80:20 max-in-service=1", "20:80 max-in-service=2")))
                .isEqualTo(new VariantLabels(List.of("80:20 1", "20:80 2"), "variant (max-in-service)"));
    }

    @Test
    void theSubtitleSaysModePolicyRunsAndDate() throws Exception {
        java.time.LocalDate day = java.time.LocalDate.of(2026, 12, 2);
        // the helper's variants are all aio and sfq, one run each
        ExperimentResult r = seed();
        List<VariantResult> v = r.variants();
        assertThat(Charts.subtitle(r, day)).isEqualTo("mode aio; policy sfq; 1 run per variant; 2026-12-02");
        VariantResult sync3 = new VariantResult("sync", Map.of(), "sync", "ioband", 3, v.get(0).devices(), 1, 0, 1, 0, 1.0,
                0, 0, null, null, "x");
        assertThat(Charts.subtitle(experiment("two", List.of(sync3, v.get(3))), day))
                .isEqualTo("mode sync, aio; policy ioband, sfq; 1-3 runs per variant; 2026-12-02");
        // drawn in a band under the title: the picture keeps its size
        BufferedImage image = readPng(Charts.shares(r, dir));
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(500);
    }

    // ---- the text table

    private static String print(VariantResult v) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ExperimentTable.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), v);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** sda12's one request allows 2 000 IOPS of the disk's 8 000, more than its weight's 1 600: feasible 80/20. */
    private static VariantResult twoRuns() {
        FeasibleShare.Model feasible = FeasibleShare.model("disk model 4 x 500us", List.of(
                new FeasibleShare.Demand("sda11", 80, 32, 500e-6), new FeasibleShare.Demand("sda12", 20, 1, 500e-6)), 4);
        List<DeviceFigures> d = List.of(
                new DeviceFigures("sda11", 80, 0.8, 7500, 0.75, 7.0710678, -5.0, 2875, 400.0, 910.0, 1100, 2300.0, 31, 98, 48,
                        1, 0.99, null, 0.97, 32, feasible.device("sda11").share(), 0, 0, 0, null),
                new DeviceFigures("sda12", 20, 0.2, 2500, 0.25, 7.0710678, 5.0, 875, 1000.0, 9_990.0, 12_345, 20_000.0, 1,
                        0.375, 1, 2, 0.004, null, 0.6, 1, feasible.device("sda12").share(), 0, 0, 0, null));
        return new VariantResult("aio", Map.of("backend.mode", "aio"), "aio+sync", "ioband", 2, d, 0.98, 5.0, 0.004, 0.012,
                0.631, 1.25, 2.5, feasible, "run 2: the host limited this run",
                Fairness.explain("aio+sync", "ioband", d, 0.004, 0.631, null));
    }

    @Test
    void theTableHasTheSeedsColumnsOneRowPerDeviceAndTheExplanation() {
        VariantResult v = twoRuns();
        List<String> lines = print(v).lines().toList();

        assertThat(lines.get(0)).isEmpty();
        assertThat(lines.get(1)).isEqualTo("== aio  (mode aio+sync, policy ioband, 2 runs; load average 1.25 at start, "
                + "2.50 at end)");
        String header = lines.get(2);
        assertThat(header.replaceAll(" +", " ")).isEqualTo("device | weight | target | feasible | I/Os per run | share (± sd over runs) | "
                + "error (pp) | conc gap | sched gap | backlogged | share backlogged | load held | IOPS | p90 (ms) | p99 (ms) | "
                + "in service | backlog");
        assertThat(lines.get(3)).isEqualTo("-".repeat(header.length()));
        assertThat(lines.get(4).replaceAll(" +", " ")).isEqualTo("sda11 | 80 | 80.0% | 80.0% | 7500 | 75.0% ±7.1 pp | -5.0 | "
                + "+0.0 pp | +5.0 pp | 99.0% | – | 0.97 | 2875 | 0.91 | 1.10 | 31.00 | 98.00");
        assertThat(lines.get(5).replaceAll(" +", " ")).isEqualTo("sda12 | 20 | 20.0% | 20.0% | 2500 | 25.0% ±7.1 pp | +5.0 | "
                + "+0.0 pp | -5.0 pp | 0.4% | – | 0.60 | 875 | 9.99 | 12.35 | 1.00 | 0.38");
        assertThat(lines.subList(2, 6)).allSatisfy(l -> assertThat(l).hasSameSizeAs(header));
        assertThat(lines.get(6)).isEqualTo("Jain's index over weight-normalized shares: 0.980; largest share error 5.0 pp; "
                + "all devices backlogged 0.4% of the time; disk busy 63.1%; dispatch lag 1.2%");
        assertThat(lines.get(7)).isEqualTo("feasible share: disk model 4 x 500us = 8000 IOPS; in service at most sda11 32 "
                + "(64000 IOPS) sda12 1 (2000 IOPS)");
        assertThat(lines.get(8)).isEqualTo("!! run 2: the host limited this run");
        assertThat(lines.get(9)).isEqualTo("=> " + v.explanation())
                .startsWith("=> sda12 never had more than one request in the backend")
                .endsWith("; sda11: weight 80 %, its 32 requests in service allow at most 80 %, it got 75.0 %: 0 pp from "
                        + "the backend's concurrency, 5 pp from the scheduler");
        assertThat(lines).hasSize(10);
    }

    @Test
    void aCrossOfVariantsAndALastAxisIsOneTableWithTheReferenceBeside() {
        List<VariantResult> v = new ArrayList<>();
        for (String w : List.of("80:20", "20:80")) {
            int first = Integer.parseInt(w.substring(0, 2));
            for (int n = 1; n <= 2; n++) {
                double share = n == 1 ? 0.5 : first / 100.0;
                DeviceFigures a = device("sda11", first, first / 100.0, share);
                // the first device's feasible share: 50 % with one request in service, its weight share with two
                a = new DeviceFigures(a.name(), a.weight(), a.weightShare(), a.ios(), a.share(), a.shareSpreadPp(),
                        a.shareErrorPp(), a.iops(), a.p99Us(), a.inServiceMean(), a.backlogMean(), a.peakInService(),
                        a.errors(), a.backloggedFraction(), a.shareBacklogged(), a.loadHeldFraction(), n, share);
                v.add(variant(w + " max-in-service=" + n, keys("backend.devices[0].weight", String.valueOf(first),
                        "backend.max-in-service", String.valueOf(n)), a, device("sda12", 100 - first, 1 - first / 100.0,
                        1 - share)));
            }
        }
        Reference ref = new Reference("2008", List.of("2008 run 1"), Map.of("80:20", List.of("75.8 / 24.2")));
        ExperimentResult r = new ExperimentResult("io-throttle-2008", "", 3, 1, 1, v, List.of(), ref);

        assertThat(CrossTable.format(r)).isEqualTo("""

                == io-throttle-2008: share of sda11 / sda12 (%) (sda11's feasible share) per max-in-service; 2008 beside
                variant |  2008 run 1 | max-in-service 1 | max-in-service 2
                -----------------------------------------------------------
                80:20   | 75.8 / 24.2 | 50.0 / 50.0 (50) | 80.0 / 20.0 (80)
                20:80   |           – | 50.0 / 50.0 (50) | 20.0 / 80.0 (20)
                """);
        assertThat(CrossTable.format(seed())).as("no matrix axis").isEmpty();
    }

    @Test
    void oneRunShowsNoSpread() {
        VariantResult two = twoRuns();
        VariantResult one = new VariantResult("sync", two.keys(), "sync", "fifo", 1, two.devices(), two.jain(),
                two.maxShareErrorPp(), 0, 0, null, -1, -1, null, null, "because");

        String out = print(one);

        assertThat(out).contains("== sync  (mode sync, policy fifo, 1 run)\n").doesNotContain("±").doesNotContain("!!")
                .doesNotContain("disk busy").endsWith("=> because\n");
        assertThat(out.lines().filter(l -> l.startsWith("sda11")).findFirst().orElseThrow().replaceAll(" +", " "))
                .contains("| 75.0% |");
        assertThat(out.lines().filter(l -> l.startsWith("device")).findFirst().orElseThrow().replaceAll(" +", " "))
                .as("one run: I/Os is the run's, the share has no spread").contains("| I/Os | share | ");
    }

}
