package io.runlog.cli;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.chart.LineChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class PlotCommandTest {
    @TempDir
    Path tmp;

    private Path store() {
        return tmp.resolve("store");
    }

    private void populate() {
        try (RunlogStore s = RunlogStore.open(store(), CliRunner.options());
             Experiment e = s.createProject("default", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("run")) {
            final MetricHandle loss = e.metric("loss");
            for (int i = 0; i < 100_000; i++) {
                loss.log(i, i == 50_000 ? Double.NaN : 2.5 * Math.exp(-i / 20_000.0) + 0.2 * Math.sin(i * 0.37));
            }
            e.metric("never-logged");
        }
    }

    private static int count(final BufferedImage image, final Color color) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                final Color c = new Color(image.getRGB(x, y));
                if (Math.abs(c.getRed() - color.getRed()) + Math.abs(c.getGreen() - color.getGreen())
                    + Math.abs(c.getBlue() - color.getBlue()) < 30) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void shouldDrawTheRawAndTheSampledSeriesToAPng() throws Exception {
        populate();
        final Path png = Files.createDirectories(tmp.resolve("charts")).resolve("loss.png");
        final CliRunner.Result r = CliRunner.run("plot", "--dir", store().toString(), "--experiment", "run",
            "--metric", "loss", "--max", "200", "-o", png.toString(), "--width", "900", "--height", "500");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.err().contains("100,000 raw points, 200 sampled"), r::toString);
        assertEquals("", r.out(), "the summary goes to standard error, as export's and import's do");
        final BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(900, image.getWidth());
        assertEquals(500, image.getHeight());
        assertTrue(count(image, LineChart.SAMPLED) > 200, "the sampled line is drawn");
        assertTrue(count(image, LineChart.RAW) > 300, "the raw series is drawn");
        assertTrue(count(image, LineChart.NON_FINITE) > 5, "the NaN is marked");
    }

    @Test
    void shouldRenderAMetricWithoutPointsAsAnEmptyChart() throws Exception {
        populate();
        final Path png = tmp.resolve("empty.png");
        final CliRunner.Result r = CliRunner.run("plot", "--dir", store().toString(), "--experiment", "run",
            "--metric", "never-logged", "-o", png.toString());
        assertEquals(0, r.exit(), r::toString);
        final BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1200, image.getWidth());
        assertEquals(0, count(image, LineChart.SAMPLED));
    }

    @Test
    void shouldReportBadFlagsUnknownMetricsAndUnwritableFiles() throws Exception {
        populate();
        final CliRunner.Result noOutput = CliRunner.run("plot", "--dir", store().toString(), "--experiment", "run",
            "--metric", "loss");
        assertEquals(2, noOutput.exit());
        assertTrue(noOutput.err().contains("Missing required option: '--output=FILE'"), noOutput::toString);
        final CliRunner.Result tiny = CliRunner.run("plot", "--dir", store().toString(), "--experiment", "run",
            "--metric", "loss", "-o", tmp.resolve("x.png").toString(), "--width", "10");
        assertEquals(2, tiny.exit());
        assertTrue(tiny.err().contains("--width must be 200 to 8000"), tiny::toString);
        final CliRunner.Result unknown = CliRunner.run("plot", "--dir", store().toString(), "--experiment", "run",
            "--metric", "nope", "-o", tmp.resolve("x.png").toString());
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().startsWith("runlog: error: experiment default/run has no metric 'nope'"), unknown::toString);
        final Path directory = Files.createDirectories(tmp.resolve("a-directory.png"));
        final CliRunner.Result unwritable = CliRunner.run("plot", "--dir", store().toString(), "--experiment", "run",
            "--metric", "loss", "-o", directory.toString());
        assertEquals(1, unwritable.exit());
        assertTrue(unwritable.err().startsWith("runlog: error: cannot write chart " + directory + ": it is a directory"), unwritable::toString);
        assertFalse(Files.exists(tmp.resolve("x.png")));
    }
}
