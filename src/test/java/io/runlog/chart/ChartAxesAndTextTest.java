package io.runlog.chart;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chart axes and text: exact zero ticks, the extreme doubles, a time axis, and names in any script. */
class ChartAxesAndTextTest {
    private static List<String> yLabels(final double... values) {
        final LineChart.Range r = LineChart.Range.of(values, new double[0], null, null);
        final LineChart.Ticks t = LineChart.Ticks.of(r.min(), r.max(), 6);
        return Arrays.asList(t.labels(t.values(r.min(), r.max())));
    }

    @Test
    void shouldPutAnExactZeroTickWhereZeroBelongsAndNeverPrintMinusZero() {
        final LineChart.Ticks t = LineChart.Ticks.of(-0.3, 0.3, 6);
        final double[] v = t.values(-0.3, 0.3);
        assertTrue(Arrays.stream(v).anyMatch(x -> x == 0.0 && Double.doubleToRawLongBits(x) == 0), Arrays.toString(v));
        for (final List<String> labels : List.of(Arrays.asList(t.labels(v)), yLabels(0.0), yLabels(1e-3, -1e-3),
            yLabels(-5e-3, 5e-3), yLabels(-0.3, 0.3), yLabels(1e-20))) {
            for (final String l : labels) {
                assertFalse(l.contains("e-17") || l.contains("e-16") || l.matches("-0(\\.0*)?"), () -> l + " in " + labels);
            }
        }
        assertTrue(yLabels(0.0).contains("0.0") || yLabels(0.0).contains("0"), yLabels(0.0)::toString);
        assertEquals("0.00", LineChart.Ticks.of(-1, 1, 100).format(-1e-18));
    }

    @Test
    void shouldDrawTheLargestDoublesInsideTheFrameWithLabelledAxes() {
        for (final double[] y : new double[][] {{0, Double.MAX_VALUE}, {-Double.MAX_VALUE, Double.MAX_VALUE},
            {Double.MAX_VALUE}, {-Double.MAX_VALUE, 0}}) {
            final List<String> labels = yLabels(y);
            assertTrue(labels.size() >= 2, () -> Arrays.toString(y) + ": y labels " + labels);
            final LineChart.Range r = LineChart.Range.of(y, new double[0], null, null);
            assertTrue(Double.isFinite(r.min()) && Double.isFinite(r.max()) && r.min() < r.max(), r::toString);
            final LineChart.Plot p = new LineChart.Plot(84, 44, 400, 300, r, r);
            for (final double v : y) {
                final double py = p.pyExact(v);
                assertTrue(py >= 44 && py <= 344, () -> v + " drawn at y " + py + ", outside the frame 44..344");
            }
        }
        final double[] x = {0, 1, 2};
        final BufferedImage image = new LineChart(400, 300).sampled(x, new double[] {0, Double.MAX_VALUE, 1}).render();
        int inside = 0;
        for (int py = 44; py <= 300 - 64; py++) {
            for (int px = 84; px <= 400 - 24; px++) {
                final Color c = new Color(image.getRGB(px, py));
                if (Math.abs(c.getRed() - LineChart.SAMPLED.getRed()) + Math.abs(c.getGreen() - LineChart.SAMPLED.getGreen())
                    + Math.abs(c.getBlue() - LineChart.SAMPLED.getBlue()) < 40) {
                    inside++;
                }
            }
        }
        assertTrue(inside > 50, "the line through Double.MAX_VALUE is drawn inside the frame: " + inside);
    }

    @Test
    void shouldLabelAnEpochMillisecondAxisWithTimesInsteadOfRawNumbers() {
        final double from = 1_652_872_866_869.0;
        final LineChart.TimeTicks t = LineChart.TimeTicks.of(from, from + 3_600_000, 8);
        final double[] v = t.values();
        assertTrue(v.length >= 4, Arrays.toString(v));
        final String[] labels = Arrays.stream(v).mapToObj(t::format).toArray(String[]::new);
        assertEquals(labels.length, new HashSet<>(Arrays.asList(labels)).size(), () -> "repeated labels "
            + Arrays.toString(labels));
        for (final String l : labels) {
            assertTrue(l.matches("\\d\\d-\\d\\d \\d\\d:\\d\\d"), () -> l + " in " + Arrays.toString(labels));
        }
        assertEquals("05-18 11:30", LineChart.TimeTicks.of(from, from + 3_600_000, 8).format(1_652_873_400_000.0));
        assertEquals("11:21:07", LineChart.TimeTicks.of(from, from + 60_000, 6).format(1_652_872_867_000.0));
        assertEquals("2022-05-18", LineChart.TimeTicks.of(from, from + 30 * 86_400_000.0, 6).format(1_652_832_000_000.0));
    }

    @Test
    void shouldRenderCjkAndEmojiNamesWithRealGlyphsNotBoxes() {
        final Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
        for (final String name : new String[] {"损失/训练", "ロス", "손실", "loss 📈🔥🚀", "✅ accuracy"}) {
            assertTrue(ChartText.canRender(name, base), name + " has characters no font draws");
            // the drawn text differs from a string of missing-glyph boxes of the same length
            assertFalse(Arrays.equals(pixels(name), pixels("\uFFFF".repeat(name.codePointCount(0, name.length())))),
                name + " rendered as boxes");
        }
        final BufferedImage chart = new LineChart(400, 300).title("实验/损失 📈").axes("step", "损失")
            .raw(new double[] {0, 1}, new double[] {1, 2}).render();
        assertEquals(400, chart.getWidth());
    }

    private static int[] pixels(final String text) {
        final BufferedImage image = new BufferedImage(300, 40, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 20));
        g.setColor(Color.WHITE);
        ChartText.draw(g, text, 5, 28);
        g.dispose();
        return image.getRGB(0, 0, 300, 40, null, 0, 300);
    }
}
