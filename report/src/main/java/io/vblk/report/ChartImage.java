package io.vblk.report;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Writes a chart as a PNG under its title and a subtitle line, which XChart has no place for: the title and
 * subtitle are drawn in a band above the chart, in the chart's own fonts and colours, and the picture keeps the
 * size asked for (the chart is drawn that much shorter).
 */
public final class ChartImage {
    private static final int BAND = 46;

    private ChartImage() {}

    /** A chart of {@code width} x {@code height} pixels in all, title and subtitle included. */
    public static void write(Chart<?, ?> chart, String title, String subtitle, Path png) throws IOException {
        chart.setTitle("");
        chart.getStyler().setChartTitleVisible(false);
        BufferedImage plot = BitmapEncoder.getBufferedImage(chart);
        BufferedImage out = new BufferedImage(plot.getWidth(), plot.getHeight() + BAND, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(chart.getStyler().getChartBackgroundColor());
            g.fillRect(0, 0, out.getWidth(), BAND);
            Font titleFont = chart.getStyler().getChartTitleFont();
            g.setColor(chart.getStyler().getChartTitleFontColor());
            centred(g, titleFont, title, out.getWidth(), 20);
            g.setColor(chart.getStyler().getChartFontColor());
            centred(g, titleFont.deriveFont(Font.PLAIN, titleFont.getSize2D() - 2), subtitle, out.getWidth(), 38);
            g.drawImage(plot, 0, BAND, null);
        } finally {
            g.dispose();
        }
        try (OutputStream os = Files.newOutputStream(png)) {
            ImageIO.write(out, "png", os);
        }
    }

    /** How much shorter than the picture its chart must be drawn. */
    static int band() {
        return BAND;
    }

    private static void centred(Graphics2D g, Font font, String text, int width, int baseline) {
        g.setFont(font);
        FontMetrics m = g.getFontMetrics();
        g.drawString(text, Math.max(4, (width - m.stringWidth(text)) / 2), baseline);
    }
}
