package io.vblk.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/** The scaling curve as a PNG, in the style of {@link io.vblk.report.Charts}. */
public final class BenchCharts {
    private BenchCharts() {}

    public static final String CURVE_PNG = "bench-curve.png";

    /**
     * Throughput against requests outstanding in total (log scale): one line per outstanding count per device, the
     * devices growing along it, and one line keeping everything on a single device; under the title
     * {@code subtitle} says what was run (as every chart of the experiments does).
     */
    public static Path curve(List<CellResult> byDevices, List<CellResult> byDepth, String title, String subtitle, Path dir)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .xAxisTitle("requests outstanding, all devices (log scale)").yAxisTitle("IOPS").build();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisMin(0.0);
        chart.getStyler().setMarkerSize(7).setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisDecimalPattern("#,###");
        byDevices.stream().map(CellResult::outstandingPerDevice).distinct().forEach(q -> add(chart,
                "N devices x " + q + " outstanding", byDevices.stream().filter(r -> r.outstandingPerDevice() == q).toList()));
        add(chart, "1 device x N outstanding", byDepth);
        Path png = dir.resolve(CURVE_PNG);
        io.vblk.report.ChartImage.write(chart, title, subtitle, png);
        return png;
    }

    private static void add(XYChart chart, String name, List<CellResult> points) {
        if (points.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, points.stream().mapToDouble(r -> r.devices() * r.outstandingPerDevice()).toArray(),
                points.stream().mapToDouble(CellResult::iops).toArray());
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }
}
