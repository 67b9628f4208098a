package io.vblk.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/** PNG charts of an experiment, drawn headless. */
public final class Charts {
    private Charts() {}

    /** Each variant's shares next to the weight shares: the picture of the seed table. */
    public static Path shares(ExperimentResult r, Path dir) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title(r.scenario() + ": achieved share per device").xAxisTitle("variant").yAxisTitle("share of I/Os (%)").build();
        // xchart's setters return their declaring class, so a chain across styler levels does not compile
        chart.getStyler().setLabelsVisible(true).setLabelsFontColorAutomaticEnabled(true);
        chart.getStyler().setYAxisMax(100.0).setYAxisMin(0.0);
        chart.getStyler().setDecimalPattern("#0.0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        List<String> labels = r.variants().stream().map(VariantResult::label).toList();
        // one series per place in the device list, so that a variant changing a weight, or an experiment with
        // other device names beside it, stays in the same series (which then names every name and weight)
        List<List<Double>> values = new ArrayList<>();
        List<java.util.Set<String>> names = new ArrayList<>();
        List<java.util.Set<String>> weights = new ArrayList<>();
        for (VariantResult v : r.variants()) {
            for (int i = 0; i < v.devices().size(); i++) {
                if (values.size() == i) {
                    values.add(new ArrayList<>());
                    names.add(new java.util.LinkedHashSet<>());
                    weights.add(new java.util.LinkedHashSet<>());
                }
                DeviceFigures d = v.devices().get(i);
                values.get(i).add(100 * d.share());
                names.get(i).add(d.name());
                weights.get(i).add(String.valueOf(d.weight()));
            }
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).size() == labels.size()) {
                chart.addSeries(String.join(" / ", names.get(i)) + " (weight " + String.join("/", weights.get(i)) + ")",
                        labels, values.get(i));
            }
        }
        Path png = dir.resolve(fileName(r.scenario()) + "-shares.png");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return png;
    }

    /**
     * When the variants sweep one numeric key (a matrix axis such as max-in-service; the last such key), the first
     * device's share against that key, one line per value of the other keys; null when there is no such axis.
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
        DeviceFigures first = r.variants().get(0).devices().get(0);
        boolean oneWeight = r.variants().stream().allMatch(v -> v.devices().get(0).weightShare() == first.weightShare());
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title(r.scenario() + ": share of " + first.name() + (oneWeight ? " (weight " + first.weight() + ")" : "")
                        + " vs " + axisName)
                .xAxisTitle(axisName + " (log scale)").yAxisTitle("share of I/Os (%)").build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0).setXAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(7).setLegendPosition(Styler.LegendPosition.OutsideE);
        Map<String, List<double[]>> lines = new LinkedHashMap<>();
        for (VariantResult v : r.variants()) {
            Map<String, String> others = new LinkedHashMap<>(v.keys());
            double x = Double.parseDouble(others.remove(axis));
            String series = others.isEmpty() ? first.name() : String.join(" ", others.entrySet().stream()
                    .map(e -> e.getKey().substring(e.getKey().lastIndexOf('.') + 1) + "=" + e.getValue()).toList());
            lines.computeIfAbsent(series, k -> new ArrayList<>()).add(new double[] {x, 100 * v.devices().get(0).share()});
        }
        lines.forEach((name, points) -> {
            XYSeries s = chart.addSeries(name, points.stream().mapToDouble(p -> p[0]).toArray(),
                    points.stream().mapToDouble(p -> p[1]).toArray());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        });
        double[] xs = r.variants().stream().mapToDouble(v -> Double.parseDouble(v.keys().get(axis))).distinct().sorted().toArray();
        // one line for the weight share only when it is the same in every variant (not when a row changes it)
        if (oneWeight) {
            chart.addSeries("weight share " + Math.round(100 * first.weightShare()) + "%",
                    new double[] {xs[0], xs[xs.length - 1]}, new double[] {100 * first.weightShare(), 100 * first.weightShare()});
        }
        Path png = dir.resolve(fileName(r.scenario()) + "-sweep.png");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return png;
    }

    private static final String DEPTH = "backend.scheduler.depth";

    /**
     * A sweep of the scheduler's depth D: the first device's share against D beside 1/(D+1) (its one request
     * behind the D - 1 others already at the disk, plus the one whose completion lets it in) and its feasible
     * share, with the total IOPS on the right axis. Variants are assumed to differ only in the depth.
     */
    private static Path depth(ExperimentResult r, Path dir) throws IOException {
        List<VariantResult> vs = r.variants().stream()
                .sorted(java.util.Comparator.comparingInt(v -> Integer.parseInt(v.keys().get(DEPTH)))).toList();
        DeviceFigures first = vs.get(0).devices().get(0);
        double[] d = vs.stream().mapToDouble(v -> Integer.parseInt(v.keys().get(DEPTH))).toArray();
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title(r.scenario() + ": " + first.name() + " (weight " + first.weight() + ") and total IOPS vs scheduler depth D")
                .xAxisTitle("scheduler depth D (log scale)").yAxisTitle("share of I/Os (%)").build();
        chart.getStyler().setXAxisLogarithmic(true).setMarkerSize(7).setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisMin(0, 0.0).setYAxisMax(0, 60.0);
        chart.getStyler().setYAxisMin(1, 0.0).setYAxisMax(1, 10_000.0);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.setYAxisGroupTitle(1, "total IOPS");
        chart.addSeries(first.name() + " share, measured", d,
                vs.stream().mapToDouble(v -> 100 * v.devices().get(0).share()).toArray());
        XYSeries theory = chart.addSeries("1/(D+1)", d, java.util.Arrays.stream(d).map(x -> 100 / (x + 1)).toArray());
        theory.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        if (first.feasibleShare() != null) {
            XYSeries feasible = chart.addSeries(first.name() + " feasible share", new double[] {d[0], d[d.length - 1]},
                    new double[] {100 * first.feasibleShare(), 100 * first.feasibleShare()});
            feasible.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        }
        XYSeries iops = chart.addSeries("total IOPS (right axis)", d,
                vs.stream().mapToDouble(v -> v.devices().stream().mapToDouble(DeviceFigures::iops).sum()).toArray());
        iops.setYAxisGroup(1);
        Path png = dir.resolve(fileName(r.scenario()) + "-depth.png");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return png;
    }

    /**
     * Latency-driven depth ({@code scheduler.depth: auto}) over the measured window: one step line per variant and
     * device whose depth moved (the first run's series); null when no variant had depth auto.
     */
    public static Path depthOverTime(ExperimentResult r, Path dir) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title(r.scenario() + ": latency-driven depth over time").xAxisTitle("time in the measured window (s)")
                .yAxisTitle("depth (requests in the scheduler)").build();
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
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
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
