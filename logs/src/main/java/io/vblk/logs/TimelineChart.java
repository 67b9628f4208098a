package io.vblk.logs;

import io.vblk.config.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/** Each device's share of a window's I/Os over time, as a PNG line chart drawn headless. */
public final class TimelineChart {
    private TimelineChart() {}

    public static void write(TimelineReport r, Path png) throws IOException {
        String window = Durations.format(Duration.ofNanos(Math.round(r.windowS() * 1e9)));
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title("share of I/Os per " + window + " window (by " + r.by() + ")")
                .xAxisTitle("time (s)").yAxisTitle("share of I/Os (%)").build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        chart.getStyler().setMarkerSize(4).setLegendPosition(Styler.LegendPosition.OutsideE);
        // an empty window has no shares: it is left out rather than drawn as a fall to 0%; so is a short last
        // window, whose few I/Os (a run's tail) would draw a swing that is not there
        List<TimelineReport.Window> windows = r.lastWindowShort()
                ? r.windows().subList(0, r.windows().size() - 1) : r.windows();
        List<TimelineReport.Window> full = windows.stream().filter(w -> w.ios() > 0).toList();
        // each window at its middle: a change drawn at its instant then falls between the windows it parts
        double[] x = full.stream().mapToDouble(w -> w.startS() + r.windowS() / 2).toArray();
        for (int d = 0; d < r.devices().size(); d++) {
            List<Double> y = new ArrayList<>();
            for (TimelineReport.Window w : full) {
                y.add(100 * w.devices().get(d).share());
            }
            XYSeries s = chart.addSeries(r.devices().get(d), x, y.stream().mapToDouble(Double::doubleValue).toArray());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        // each live change: a vertical line at its instant, named in the legend
        for (TimelineReport.Change c : r.changes()) {
            XYSeries s = chart.addSeries(String.format(Locale.ROOT, "%.1f s: %s", c.atS(), c.text()),
                    new double[] {c.atS(), c.atS()}, new double[] {0, 100});
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setLineColor(java.awt.Color.GRAY);
            s.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                    10f, new float[] {6f, 4f}, 0f));
            s.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // saveBitmap adds ".png" to a name without it; saving the stream ourselves keeps the name as given
        try (var out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
