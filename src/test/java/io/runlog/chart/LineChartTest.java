package io.runlog.chart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The chart's pixels: size, the raw and sampled lines drawn, non-finite markers, degenerate series. */
class LineChartTest {
    @TempDir
    Path dir;

    private static int pixelsNear(final BufferedImage image, final Color color) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                final Color c = new Color(image.getRGB(x, y));
                final int d = Math.abs(c.getRed() - color.getRed()) + Math.abs(c.getGreen() - color.getGreen())
                    + Math.abs(c.getBlue() - color.getBlue());
                if (d < 30) {
                    n++;
                }
            }
        }
        return n;
    }

    private static double[] ramp(final int n) {
        final double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    @Test
    void shouldDrawTheRawSeriesBehindAndTheSampledSeriesOnTopAtTheRequestedSize() {
        final int n = 100_000;
        final double[] x = ramp(n);
        final double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.exp(-i / 20_000.0) + 0.05 * Math.sin(i * 0.37);
        }
        final double[] sx = {0, 25_000, 50_000, 75_000, 99_999};
        final double[] sy = {y[0], y[25_000], y[50_000], y[75_000], y[99_999]};
        final BufferedImage image = new LineChart(800, 500).title("loss").axes("step", "value").raw(x, y)
            .sampled(sx, sy).render();
        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());
        assertTrue(pixelsNear(image, LineChart.RAW) > 2_000, "the raw envelope is drawn");
        assertTrue(pixelsNear(image, LineChart.SAMPLED) > 500, "the sampled line is drawn");
        assertEquals(0, pixelsNear(image, LineChart.NON_FINITE), "no non-finite value, no marker");
        // the sampled line's first point is at the top left of the plot (the largest value comes first)
        final int[] found = {0};
        for (int yy = 40; yy < 120; yy++) {
            for (int xx = 80; xx < 110; xx++) {
                if (pixelsNear(image.getSubimage(xx, yy, 1, 1), LineChart.SAMPLED) == 1) {
                    found[0]++;
                }
            }
        }
        assertTrue(found[0] > 0, "the line starts at the top left");
    }

    @Test
    void shouldMarkNonFiniteValuesAndLeaveThemOutOfTheLines() {
        final double[] x = ramp(1_000);
        final double[] y = new double[1_000];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 250 == 100 ? Double.NaN : i == 500 ? Double.POSITIVE_INFINITY : Math.sqrt(i);
        }
        final BufferedImage image = new LineChart(640, 400).raw(x, y).sampled(x, y).render();
        assertTrue(pixelsNear(image, LineChart.NON_FINITE) > 20, "NaN and infinity positions are marked");
        assertTrue(pixelsNear(image, LineChart.SAMPLED) > 200);
    }

    @Test
    void shouldRenderAReadableChartForAnEmptySeriesASinglePointAndAFlatLine() {
        final BufferedImage empty = new LineChart(400, 300).title("empty").render();
        assertEquals(400, empty.getWidth());
        assertEquals(0, pixelsNear(empty, LineChart.SAMPLED));
        assertTrue(pixelsNear(empty, new Color(0x33, 0x33, 0x33)) > 100, "axes and the 'no data' text are drawn");

        final BufferedImage single = new LineChart(400, 300).raw(new double[]{7}, new double[]{3.5})
            .sampled(new double[]{7}, new double[]{3.5}).render();
        assertTrue(pixelsNear(single, LineChart.SAMPLED) > 5, "a single point is drawn as a dot");

        final double[] x = ramp(50);
        final double[] flat = new double[50];
        java.util.Arrays.fill(flat, 2.0);
        final BufferedImage line = new LineChart(400, 300).raw(x, flat).sampled(x, flat).render();
        assertTrue(pixelsNear(line, LineChart.SAMPLED) > 100, "a flat series is a visible line mid-plot");

        final BufferedImage onlyNaN = new LineChart(400, 300).raw(new double[]{1, 2}, new double[]{Double.NaN, Double.NaN}).render();
        assertTrue(pixelsNear(onlyNaN, LineChart.NON_FINITE) > 0);
    }

    @Test
    void shouldWriteAPngThatReadsBack() throws Exception {
        final Path file = Files.createDirectories(dir.resolve("sub")).resolve("chart.png");
        new LineChart(300, 200).raw(ramp(10), ramp(10)).writePng(file);
        final BufferedImage back = ImageIO.read(file.toFile());
        assertEquals(300, back.getWidth());
        assertEquals(200, back.getHeight());
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void shouldRejectImpossibleSizesAndMismatchedArrays() {
        assertThrows(IllegalArgumentException.class, () -> new LineChart(10, 10));
        assertThrows(IllegalArgumentException.class, () -> new LineChart(100_000, 500));
        assertThrows(IllegalArgumentException.class, () -> new LineChart(400, 300).raw(new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class, () -> new LineChart(400, 300).sampled(null, new double[0]));
    }
}
