package io.vblk.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of an experiment, drawn headless, each under a subtitle that says what was run (mode, policy,
 * runs per variant, date). Every device is drawn, and its weight share beside what it got.
 */
public final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;
    // in a sweep, colour tells the other keys' values apart and marker and stroke the devices
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP,
            SeriesMarkers.DIAMOND, SeriesMarkers.CROSS};
    private static final BasicStroke[] STROKES = {SeriesLines.SOLID, SeriesLines.DASH_DOT, SeriesLines.DOT_DOT};
    private static final Color TARGET = Color.GRAY;

    private Charts() {}

    /** What was run, for the line under a chart's title: {@code mode sync, aio; policy ioband; 3 runs per variant; DATE}. */
    static String subtitle(ExperimentResult r, LocalDate date) {
        Set<String> modes = new LinkedHashSet<>();
        Set<String> policies = new LinkedHashSet<>();
        Set<Integer> repeats = new LinkedHashSet<>();
        for (VariantResult v : r.variants()) {
            modes.add(v.mode());
            policies.add(v.policy());
            repeats.add(v.repeats());
        }
        int least = repeats.stream().mapToInt(Integer::intValue).min().orElse(0);
        int most = repeats.stream().mapToInt(Integer::intValue).max().orElse(0);
        String runs = (least == most ? String.valueOf(most) : least + "-" + most) + (most == 1 ? " run" : " runs");
        return "mode " + String.join(", ", modes) + "; policy " + String.join(", ", policies) + "; " + runs
                + " per variant; " + date;
    }

    private static String subtitle(ExperimentResult r) {
        return subtitle(r, LocalDate.now(ZoneOffset.UTC));
    }

    /** Each variant's shares next to the weight shares: the picture of the seed table. */
    public static Path shares(ExperimentResult r, Path dir) throws IOException {
        Path png = dir.resolve(fileName(r.scenario()) + "-shares.png");
        ChartImage.write(sharesChart(r), r.scenario() + ": achieved share per device", subtitle(r), png);
        return png;
    }

    /**
     * Bars of each device's share per variant, and its weight share as a dashed line of the same colour across
     * them; labels shortened ({@link VariantLabels}) and turned when they would not fit side by side.
     */
    static CategoryChart sharesChart(ExperimentResult r) {
        VariantLabels labels = VariantLabels.of(r.variants().stream().map(VariantResult::label).toList());
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT - ChartImage.band())
                .xAxisTitle(labels.axisTitle()).yAxisTitle("share of I/Os (%)").build();
        // xchart's setters return their declaring class, so a chain across styler levels does not compile
        boolean crowded = labels.crowded();
        // a value on every bar is only readable while the bars are wide
        chart.getStyler().setLabelsVisible(!crowded).setLabelsFontColorAutomaticEnabled(true);
        chart.getStyler().setYAxisMax(100.0).setYAxisMin(0.0);
        chart.getStyler().setDecimalPattern("#0.0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        if (crowded) {
            // upright, so that each label needs only a line's height and xchart has no reason to skip any
            chart.getStyler().setXAxisLabelRotation(90);
            // xchart spaces ticks at least this far apart (74 px by default) and skips labels to get there
            chart.getStyler().setXAxisTickMarkSpacingHint(16);
        }
        // one series per place in the device list, so that a variant changing a weight, or an experiment with
        // other device names beside it, stays in the same series (which then names every name and weight)
        List<List<Double>> values = new ArrayList<>();
        List<List<Double>> targets = new ArrayList<>();
        List<Set<String>> names = new ArrayList<>();
        List<Set<String>> weights = new ArrayList<>();
        for (VariantResult v : r.variants()) {
            for (int i = 0; i < v.devices().size(); i++) {
                if (values.size() == i) {
                    values.add(new ArrayList<>());
                    targets.add(new ArrayList<>());
                    names.add(new LinkedHashSet<>());
                    weights.add(new LinkedHashSet<>());
                }
                DeviceFigures d = v.devices().get(i);
                values.get(i).add(100 * d.share());
                targets.get(i).add(100 * d.weightShare());
                names.get(i).add(d.name());
                weights.get(i).add(String.valueOf(d.weight()));
            }
        }
        Color[] colours = chart.getStyler().getSeriesColors();
        List<Integer> drawn = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).size() == labels.labels().size()) {
                chart.addSeries(String.join(" / ", names.get(i)) + " (weight " + String.join("/", weights.get(i)) + ")",
                        labels.labels(), values.get(i)).setFillColor(colours[drawn.size() % colours.length]);
                drawn.add(i);
            }
        }
        for (int k = 0; k < drawn.size(); k++) {
            int i = drawn.get(k);
            Color c = colours[k % colours.length];
            CategorySeries t = chart.addSeries(String.join(" / ", names.get(i)) + " weight share", labels.labels(),
                    targets.get(i));
            t.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
            t.setLineStyle(SeriesLines.DASH_DASH);
            t.setLineColor(c);
            // a marker marks a lone variant's target; across many a dashed line is enough
            t.setMarker(labels.labels().size() > 3 ? SeriesMarkers.NONE : SeriesMarkers.DIAMOND);
            t.setMarkerColor(c);
        }
        return chart;
    }

    /**
     * When the variants sweep one numeric key (a matrix axis such as max-in-service; the last such key), every
     * device's share against that key, one line per device and value of the other keys; null when there is no
     * such axis.
     */
    public static Path sweep(ExperimentResult r, Path dir) throws IOException {
        String axis = numericAxis(r.variants());
        if (axis == null) {
            return null;
        }
        if (axis.equals(DEPTH)) {
            return depth(r, dir);
        }
        String axisName = axis.substring(axis.lastIndexOf('.') + 1);
        Path png = dir.resolve(fileName(r.scenario()) + "-sweep.png");
        ChartImage.write(sweepChart(r, axis), r.scenario() + ": share of each device vs " + axisName, subtitle(r), png);
        return png;
    }

    /**
     * The sweep along {@code axis}: a line per device (marker and stroke; colour too when there is nothing else)
     * and value of the other keys (colour, named after the variant's label without the axis), and each device's
     * weight share dashed: one line when it is the same in every variant, else one per line of the sweep in its
     * colour. A log scale only for
     * an axis that spans a factor of 8 or more.
     */
    static XYChart sweepChart(ExperimentResult r, String axis) {
        String axisName = axis.substring(axis.lastIndexOf('.') + 1);
        double[] xs = r.variants().stream().mapToDouble(v -> Double.parseDouble(v.keys().get(axis))).distinct().sorted().toArray();
        boolean log = xs[0] > 0 && xs[xs.length - 1] / xs[0] >= 8;
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT - ChartImage.band())
                .xAxisTitle(axisName + (log ? " (log scale)" : "")).yAxisTitle("share of I/Os (%)").build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0).setXAxisLogarithmic(log);
        chart.getStyler().setMarkerSize(7).setLegendPosition(Styler.LegendPosition.OutsideE);
        if (!log) {
            chart.getStyler().setXAxisDecimalPattern("#0.#");
        }
        Map<String, List<VariantResult>> groups = new LinkedHashMap<>();
        for (VariantResult v : r.variants()) {
            groups.computeIfAbsent(group(v, axis, axisName), k -> new ArrayList<>()).add(v);
        }
        int devices = r.variants().stream().mapToInt(v -> v.devices().size()).min().orElse(0);
        Color[] colours = chart.getStyler().getSeriesColors();
        int g = 0;
        // with one line per device only, colour tells the devices apart too
        boolean byDevice = groups.size() == 1;
        for (Map.Entry<String, List<VariantResult>> e : groups.entrySet()) {
            Color group = colours[g++ % colours.length];
            List<VariantResult> line = e.getValue().stream()
                    .sorted(java.util.Comparator.comparingDouble(v -> Double.parseDouble(v.keys().get(axis)))).toList();
            double[] x = line.stream().mapToDouble(v -> Double.parseDouble(v.keys().get(axis))).toArray();
            for (int d = 0; d < devices; d++) {
                int at = d;
                String name = String.join(" / ", line.stream().map(v -> v.devices().get(at).name()).distinct().toList());
                XYSeries s = chart.addSeries(groups.size() > 1 ? name + ", " + e.getKey() : name, x,
                        line.stream().mapToDouble(v -> 100 * v.devices().get(at).share()).toArray());
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                Color c = byDevice ? colours[d % colours.length] : group;
                s.setLineColor(c);
                s.setMarkerColor(c);
                s.setMarker(MARKERS[d % MARKERS.length]);
                s.setLineStyle(STROKES[d % STROKES.length]);
            }
        }
        for (int d = 0; d < devices; d++) {
            int at = d;
            Set<Double> shares = new LinkedHashSet<>();
            r.variants().forEach(v -> shares.add(v.devices().get(at).weightShare()));
            if (shares.size() == 1) {
                double w = 100 * shares.iterator().next();
                target(chart, r.variants().get(0).devices().get(d).name() + " weight share " + Math.round(w) + "%",
                        new double[] {xs[0], xs[xs.length - 1]}, new double[] {w, w},
                        byDevice ? colours[d % colours.length] : TARGET).setShowInLegend(true);
                continue;
            }
            g = 0;
            for (Map.Entry<String, List<VariantResult>> e : groups.entrySet()) {
                Color c = colours[g++ % colours.length];
                Set<Double> inGroup = new LinkedHashSet<>();
                e.getValue().forEach(v -> inGroup.add(v.devices().get(at).weightShare()));
                if (inGroup.size() == 1) {
                    double w = 100 * inGroup.iterator().next();
                    target(chart, r.variants().get(0).devices().get(d).name() + " weight share, " + e.getKey(),
                            new double[] {xs[0], xs[xs.length - 1]}, new double[] {w, w}, c);
                }
            }
        }
        return chart;
    }

    // a dashed line without markers or a legend entry (the caller may want one)
    private static XYSeries target(XYChart chart, String name, double[] x, double[] y, Color c) {
        XYSeries t = chart.addSeries(name, x, y);
        t.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        t.setMarker(SeriesMarkers.NONE);
        t.setLineStyle(SeriesLines.DASH_DASH);
        t.setLineColor(c);
        t.setShowInLegend(false);
        return t;
    }

    /**
     * A sweep's line: the variant's label without the axis's own {@code name=value} (a matrix's labels are
     * made so), else the other keys' values.
     */
    private static String group(VariantResult v, String axis, String axisName) {
        String token = axisName + "=" + v.keys().get(axis);
        List<String> rest = new ArrayList<>(List.of(v.label().split(" ")));
        if (rest.remove(token)) {
            return rest.isEmpty() ? "" : String.join(" ", rest);
        }
        Map<String, String> others = new LinkedHashMap<>(v.keys());
        others.remove(axis);
        return String.join(" ", others.entrySet().stream()
                .map(e -> e.getKey().substring(e.getKey().lastIndexOf('.') + 1) + "=" + e.getValue()).toList());
    }

    private static final String DEPTH = "backend.scheduler.depth";

    /**
     * A sweep of the scheduler's depth D: the first device's share against D beside 1/(D+1) (its one request
     * behind the D - 1 others already at the disk, plus the one whose completion lets it in), its feasible
     * share and its weight share, the other devices' shares, and the total IOPS on the right axis. Variants are
     * assumed to differ only in the depth.
     */
    private static Path depth(ExperimentResult r, Path dir) throws IOException {
        DeviceFigures first = r.variants().get(0).devices().get(0);
        Path png = dir.resolve(fileName(r.scenario()) + "-depth.png");
        ChartImage.write(depthChart(r), r.scenario() + ": " + first.name() + " (weight " + first.weight()
                + "), the others and total IOPS vs scheduler depth D", subtitle(r), png);
        return png;
    }

    static XYChart depthChart(ExperimentResult r) {
        List<VariantResult> vs = r.variants().stream()
                .sorted(java.util.Comparator.comparingInt(v -> Integer.parseInt(v.keys().get(DEPTH)))).toList();
        DeviceFigures first = vs.get(0).devices().get(0);
        double[] d = vs.stream().mapToDouble(v -> Integer.parseInt(v.keys().get(DEPTH))).toArray();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT - ChartImage.band())
                .xAxisTitle("scheduler depth D (log scale)").yAxisTitle("share of I/Os (%)").build();
        chart.getStyler().setXAxisLogarithmic(true).setMarkerSize(7).setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisMin(0, 0.0).setYAxisMax(0, 100.0);
        chart.getStyler().setYAxisMin(1, 0.0).setYAxisMax(1, 10_000.0);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.setYAxisGroupTitle(1, "total IOPS");
        int devices = vs.stream().mapToInt(v -> v.devices().size()).min().orElse(0);
        for (int k = 0; k < devices; k++) {
            int at = k;
            XYSeries s = chart.addSeries(vs.get(0).devices().get(k).name() + " share, measured", d,
                    vs.stream().mapToDouble(v -> 100 * v.devices().get(at).share()).toArray());
            s.setMarker(MARKERS[k % MARKERS.length]);
        }
        XYSeries theory = chart.addSeries("1/(D+1)", d, java.util.Arrays.stream(d).map(x -> 100 / (x + 1)).toArray());
        theory.setMarker(SeriesMarkers.NONE);
        if (first.feasibleShare() != null) {
            XYSeries feasible = chart.addSeries(first.name() + " feasible share", new double[] {d[0], d[d.length - 1]},
                    new double[] {100 * first.feasibleShare(), 100 * first.feasibleShare()});
            feasible.setMarker(SeriesMarkers.NONE);
        }
        double w = 100 * first.weightShare();
        target(chart, first.name() + " weight share " + Math.round(w) + "%", new double[] {d[0], d[d.length - 1]},
                new double[] {w, w}, TARGET).setShowInLegend(true);
        XYSeries iops = chart.addSeries("total IOPS (right axis)", d,
                vs.stream().mapToDouble(v -> v.devices().stream().mapToDouble(DeviceFigures::iops).sum()).toArray());
        iops.setYAxisGroup(1);
        return chart;
    }

    /**
     * Latency-driven depth ({@code scheduler.depth: auto}) over the measured window: one step line per variant and
     * device whose depth moved (the first run's series); null when no variant had depth auto.
     */
    public static Path depthOverTime(ExperimentResult r, Path dir) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT - ChartImage.band())
                .xAxisTitle("time in the measured window (s)").yAxisTitle("depth (requests in the scheduler)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE).setMarkerSize(0);
        int drawn = 0;
        for (VariantResult v : r.variants()) {
            for (DeviceFigures d : v.devices()) {
                if (d.depth() == null || d.depth().min() == d.depth().max()) {
                    continue;
                }
                // a step: each depth holds until the next change, the last until the window's end
                List<double[]> steps = new ArrayList<>();
                List<double[]> points = d.depth().series();
                for (int i = 0; i < points.size(); i++) {
                    if (i > 0) {
                        steps.add(new double[] {points.get(i)[0] / 1000, points.get(i - 1)[1]});
                    }
                    steps.add(new double[] {points.get(i)[0] / 1000, points.get(i)[1]});
                }
                steps.add(new double[] {r.durationS(), points.get(points.size() - 1)[1]});
                XYSeries s = chart.addSeries(v.label() + ": " + d.name(), steps.stream().mapToDouble(p -> p[0]).toArray(),
                        steps.stream().mapToDouble(p -> p[1]).toArray());
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                drawn++;
            }
        }
        if (drawn == 0) {
            return null;
        }
        Path png = dir.resolve(fileName(r.scenario()) + "-depth-over-time.png");
        ChartImage.write(chart, r.scenario() + ": latency-driven depth over time", subtitle(r), png);
        return png;
    }

    /** A scenario name as a file name inside the chart directory (a name defaults to its file's path). */
    static String fileName(String scenario) {
        String s = scenario.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[-.]+", "");
        return s.isEmpty() ? "scenario" : s;
    }

    static String numericAxis(List<VariantResult> variants) {
        if (variants.size() < 3) {
            return null;
        }
        // the last key first: a matrix's axes come after the variants' own keys, and its last axis is the sweep
        List<String> keys = new ArrayList<>(variants.get(0).keys().keySet());
        java.util.Collections.reverse(keys);
        for (String key : keys) {
            boolean numeric = variants.stream().allMatch(v -> v.keys().containsKey(key) && v.keys().get(key).matches("\\d+"));
            long distinct = variants.stream().map(v -> v.keys().get(key)).distinct().count();
            if (numeric && distinct >= 3) {
                return key;
            }
        }
        return null;
    }
}
