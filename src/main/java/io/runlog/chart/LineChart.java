package io.runlog.chart;

import io.runlog.store.FileSystemFacade;
import io.runlog.store.OutputFile;

import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A metric chart drawn with the JDK's headless imaging (no display, no extra service): the raw
 * series in a light colour behind, a sampled series on top, axes with ticks and labels, and the
 * positions of non-finite values marked under the plot. Internal; used by {@code runlog plot} and
 * the demo.
 *
 * <p>The raw series may hold millions of points: it is drawn as a per-pixel-column envelope
 * (each column's minimum to maximum, joined to the next column), which is exactly what a line
 * through every point would colour at this resolution, in one pass and without allocating per
 * point. Points need not be sorted. Non-finite x or y values are left out of the lines; their
 * positions are marked (NaN and infinite y at their x).
 *
 * <p>Not thread-safe; one chart per call.
 */
public final class LineChart {
    /** Colour of the raw series. */
    public static final Color RAW = new Color(0xB7, 0xC9, 0xE2);
    /** Colour of the sampled series. */
    public static final Color SAMPLED = new Color(0xC8, 0x4B, 0x11);
    /** Colour of the non-finite markers. */
    public static final Color NON_FINITE = new Color(0xD6, 0x00, 0x3A);
    private static final Color AXIS = new Color(0x33, 0x33, 0x33);
    private static final Color GRID = new Color(0xEE, 0xEE, 0xEE);
    private static final int LEFT = 84;
    private static final int RIGHT = 24;
    private static final int TOP = 44;
    private static final int BOTTOM = 64;

    private final int width;
    private final int height;
    private String title = "";
    private String xLabel = "x";
    private String yLabel = "y";
    private String legendRaw = "raw";
    private String legendSampled = "sampled";
    private double[] rawX = new double[0];
    private double[] rawY = new double[0];
    private double[] sampledX = new double[0];
    private double[] sampledY = new double[0];
    private boolean timeX;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        ChartText.startFonts(); // before anything touches a font: the JDK would write ~/.java/fonts
    }

    /** @throws IllegalArgumentException if the image would be smaller than 200 x 150 or larger than 8000 x 8000 */
    public LineChart(final int width, final int height) {
        if (width < 200 || height < 150 || width > 8000 || height > 8000) {
            throw new IllegalArgumentException("chart size must be 200x150 to 8000x8000 pixels, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
    }

    public LineChart title(final String text) {
        title = text == null ? "" : text;
        return this;
    }

    public LineChart axes(final String x, final String y) {
        xLabel = x == null ? "" : x;
        yLabel = y == null ? "" : y;
        return this;
    }

    /** Draws x as epoch milliseconds on a time axis: ticks at whole seconds, minutes, hours or days, labels in UTC. */
    public LineChart timeAxis(final boolean epochMillis) {
        timeX = epochMillis;
        return this;
    }

    public LineChart legend(final String raw, final String sampled) {
        legendRaw = raw;
        legendSampled = sampled;
        return this;
    }

    /** The raw series (any order, any length; arrays are read, not kept beyond {@link #render}). */
    public LineChart raw(final double[] x, final double[] y) {
        checkSameLength(x, y);
        rawX = x;
        rawY = y;
        return this;
    }

    /** The sampled series, drawn as a line through its points in the order given (sort by x first). */
    public LineChart sampled(final double[] x, final double[] y) {
        checkSameLength(x, y);
        sampledX = x;
        sampledY = y;
        return this;
    }

    private static void checkSameLength(final double[] x, final double[] y) {
        if (x == null || y == null || x.length != y.length) {
            throw new IllegalArgumentException("x and y must be non-null arrays of the same length");
        }
    }

    /** Draws the chart. */
    public BufferedImage render() {
        final BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            final Range xr = Range.of(rawX, sampledX, null, null);
            final Range yr = Range.of(rawY, sampledY, rawX, sampledX);
            final Plot plot = new Plot(LEFT, TOP, width - LEFT - RIGHT, height - TOP - BOTTOM, xr, yr);
            drawGridAndAxes(g, plot);
            final int finite = drawRaw(g, plot);
            drawSampled(g, plot);
            final int nonFinite = drawNonFinite(g, plot);
            drawLabels(g, plot, finite == 0 && sampledX.length == 0, nonFinite);
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * Renders and writes a PNG through {@link OutputFile}: a regular file (or a symbolic link's
     * target) by a temporary file in its directory renamed over it, a FIFO or device directly; a
     * missing directory is refused, not created.
     *
     * @throws io.runlog.StoreAccessException naming the file and the cause
     */
    public void writePng(final Path file) {
        final OutputFile out = OutputFile.resolve(file, "chart");
        final byte[] png = png(render());
        out.write(FileSystemFacade.DEFAULT, (channel, regular) -> {
            final ByteBuffer b = ByteBuffer.wrap(png);
            while (b.hasRemaining()) {
                channel.write(b);
            }
            return null;
        });
    }

    /** The image as PNG bytes, encoded in memory (ImageIO's default would cache in java.io.tmpdir). */
    static byte[] png(final BufferedImage image) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        final ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(image);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot encode a PNG in memory", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    // ------------------------------------------------------------------ drawing

    private void drawGridAndAxes(final Graphics2D g, final Plot p) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        final FontMetrics fm = g.getFontMetrics();
        final double[] xs;
        final String[] xl;
        if (timeX) {
            final TimeTicks tt = TimeTicks.of(p.x.min, p.x.max, Math.max(2, p.w / 130));
            xs = tt.values();
            xl = new String[xs.length];
            for (int i = 0; i < xs.length; i++) {
                xl[i] = tt.format(xs[i]);
            }
        } else {
            final Ticks xt = Ticks.of(p.x.min, p.x.max, Math.max(2, p.w / 110));
            xs = xt.values(p.x.min, p.x.max);
            xl = xt.labels(xs);
        }
        for (int i = 0; i < xs.length; i++) {
            final int px = p.px(xs[i]);
            g.setColor(GRID);
            g.drawLine(px, p.top, px, p.top + p.h);
            g.setColor(AXIS);
            g.drawLine(px, p.top + p.h, px, p.top + p.h + 4);
            g.drawString(xl[i], px - fm.stringWidth(xl[i]) / 2, p.top + p.h + 6 + fm.getAscent());
        }
        final Ticks yt = Ticks.of(p.y.min, p.y.max, Math.max(2, p.h / 60));
        final double[] ys = yt.values(p.y.min, p.y.max);
        final String[] yl = yt.labels(ys);
        for (int i = 0; i < ys.length; i++) {
            final int py = p.py(ys[i]);
            g.setColor(GRID);
            g.drawLine(p.left, py, p.left + p.w, py);
            g.setColor(AXIS);
            g.drawLine(p.left - 4, py, p.left, py);
            g.drawString(yl[i], p.left - 6 - fm.stringWidth(yl[i]), py + fm.getAscent() / 2 - 1);
        }
        g.setColor(AXIS);
        g.drawRect(p.left, p.top, p.w, p.h);
    }

    /** Per-pixel-column envelope of the raw series; returns how many finite points it drew. */
    private int drawRaw(final Graphics2D g, final Plot p) {
        final int cols = p.w + 1;
        final int[] min = new int[cols];
        final int[] max = new int[cols];
        final double[] firstX = new double[cols];
        final double[] lastX = new double[cols];
        final int[] firstY = new int[cols];
        final int[] lastY = new int[cols];
        Arrays.fill(min, Integer.MAX_VALUE);
        Arrays.fill(max, Integer.MIN_VALUE);
        int drawn = 0;
        for (int i = 0; i < rawX.length; i++) {
            final double x = rawX[i];
            final double y = rawY[i];
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                continue;
            }
            final int c = p.px(x) - p.left;
            final int py = p.py(y);
            if (min[c] == Integer.MAX_VALUE) {
                firstX[c] = x;
                lastX[c] = x;
                firstY[c] = py;
                lastY[c] = py;
            } else if (x < firstX[c]) {
                firstX[c] = x;
                firstY[c] = py;
            } else if (x >= lastX[c]) {
                lastX[c] = x;
                lastY[c] = py;
            }
            min[c] = Math.min(min[c], py);
            max[c] = Math.max(max[c], py);
            drawn++;
        }
        g.setColor(RAW);
        g.setStroke(new BasicStroke(1f));
        int previous = -1;
        for (int c = 0; c < cols; c++) {
            if (min[c] == Integer.MAX_VALUE) {
                continue;
            }
            final int px = p.left + c;
            g.drawLine(px, min[c], px, max[c]);
            if (previous >= 0) {
                g.drawLine(p.left + previous, lastY[previous], px, firstY[c]);
            }
            previous = c;
        }
        return drawn;
    }

    private void drawSampled(final Graphics2D g, final Plot p) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        // a line denser than the pixels would hide the raw series: draw it thinner and translucent
        final boolean dense = sampledX.length > p.w / 2;
        g.setColor(dense ? new Color(SAMPLED.getRed(), SAMPLED.getGreen(), SAMPLED.getBlue(), 150) : SAMPLED);
        g.setStroke(new BasicStroke(dense ? 1f : 1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        final Path2D.Double line = new Path2D.Double();
        boolean open = false;
        int points = 0;
        for (int i = 0; i < sampledX.length; i++) {
            if (!Double.isFinite(sampledX[i]) || !Double.isFinite(sampledY[i])) {
                open = false; // a gap where a value is not finite
                continue;
            }
            final double px = p.pxExact(sampledX[i]);
            final double py = p.pyExact(sampledY[i]);
            if (open) {
                line.lineTo(px, py);
            } else {
                line.moveTo(px, py);
                open = true;
            }
            points++;
        }
        g.draw(line);
        if (points <= 2_000) { // few enough to show each selected point
            for (int i = 0; i < sampledX.length; i++) {
                if (Double.isFinite(sampledX[i]) && Double.isFinite(sampledY[i])) {
                    final int px = (int) Math.round(p.pxExact(sampledX[i]));
                    final int py = (int) Math.round(p.pyExact(sampledY[i]));
                    g.fillOval(px - 2, py - 2, 5, 5);
                }
            }
        }
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    }

    /** Marks x positions of non-finite y values under the plot area; returns how many. */
    private int drawNonFinite(final Graphics2D g, final Plot p) {
        int n = 0;
        g.setColor(NON_FINITE);
        // the raw series holds every non-finite value; the sampled one only when there is no raw
        for (final double[][] s : rawX.length > 0 ? new double[][][]{{rawX, rawY}} : new double[][][]{{sampledX, sampledY}}) {
            for (int i = 0; i < s[0].length; i++) {
                if (Double.isFinite(s[0][i]) && !Double.isFinite(s[1][i])) {
                    final int px = p.px(s[0][i]);
                    g.fillPolygon(new int[]{px - 4, px + 4, px}, new int[]{p.top + p.h - 8, p.top + p.h - 8, p.top + p.h - 1}, 3);
                    n++;
                }
            }
        }
        return n;
    }

    private void drawLabels(final Graphics2D g, final Plot p, final boolean empty, final int nonFinite) {
        g.setColor(AXIS);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        FontMetrics fm = g.getFontMetrics();
        ChartText.draw(g, title, p.left, TOP - 16);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        fm = g.getFontMetrics();
        ChartText.draw(g, xLabel, p.left + (p.w - ChartText.width(g, xLabel)) / 2f, height - 14);
        final Graphics2D rotated = (Graphics2D) g.create();
        try {
            rotated.rotate(-Math.PI / 2);
            ChartText.draw(rotated, yLabel, -(p.top + (p.h + ChartText.width(rotated, yLabel)) / 2f), 18);
        } finally {
            rotated.dispose();
        }
        if (empty) {
            final String s = "no data";
            g.drawString(s, p.left + (p.w - fm.stringWidth(s)) / 2, p.top + p.h / 2);
        }
        int x = width - RIGHT;
        final String[] entries = {rawX.length > 0 ? legendRaw : null, sampledX.length > 0 ? legendSampled : null,
            nonFinite > 0 ? nonFinite + " non-finite" : null};
        final Color[] colors = {RAW, SAMPLED, NON_FINITE};
        for (int i = entries.length - 1; i >= 0; i--) {
            if (entries[i] == null || entries[i].isEmpty()) {
                continue;
            }
            x -= ChartText.width(g, entries[i]);
            g.setColor(AXIS);
            ChartText.draw(g, entries[i], x, TOP - 16);
            x -= 16;
            g.setColor(colors[i]);
            g.fillRect(x, TOP - 16 - fm.getAscent() / 2 - 2, 12, 5);
            x -= 14;
        }
    }

    // ------------------------------------------------------------------ geometry

    /**
     * A data range, never empty or inverted, within the finite doubles: the whole range of
     * doubles ({@code -Double.MAX_VALUE} to {@code Double.MAX_VALUE}) included, which is why
     * spans are computed on halves (no overflow to infinity).
     */
    record Range(double min, double max) {
        /** Range of the finite values of {@code a} and {@code b} (only where the matching x is finite, if given). */
        static Range of(final double[] a, final double[] b, final double[] ax, final double[] bx) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < 2; k++) {
                final double[] v = k == 0 ? a : b;
                final double[] x = k == 0 ? ax : bx;
                for (int i = 0; i < v.length; i++) {
                    if (Double.isFinite(v[i]) && (x == null || Double.isFinite(x[i]))) {
                        lo = Math.min(lo, v[i]);
                        hi = Math.max(hi, v[i]);
                    }
                }
            }
            if (lo > hi) {
                return new Range(0, 1);
            }
            final double halfSpan = hi / 2 - lo / 2;
            final double pad = halfSpan <= Math.ulp(Math.max(Math.abs(hi), Math.abs(lo))) * 2
                ? (lo == 0 ? 1 : Math.abs(lo) * 0.5)    // one value: a range around it
                : halfSpan * 0.06;                       // 3 % of the span on each side
            return new Range(Math.max(-Double.MAX_VALUE, lo - pad), Math.min(Double.MAX_VALUE, hi + pad));
        }

        /** Where {@code v} lies, 0 at min and 1 at max. */
        double fraction(final double v) {
            return (v / 2 - min / 2) / (max / 2 - min / 2);
        }
    }

    record Plot(int left, int top, int w, int h, Range x, Range y) {
        double pxExact(final double v) {
            return left + x.fraction(v) * w;
        }

        double pyExact(final double v) {
            return top + h - y.fraction(v) * h;
        }

        int px(final double v) {
            return (int) Math.max(left, Math.min(left + w, Math.round(pxExact(v))));
        }

        int py(final double v) {
            return (int) Math.max(top, Math.min(top + h, Math.round(pyExact(v))));
        }
    }

    /** "Nice" tick positions: whole multiples of a step of 1, 2 or 5 times a power of ten. */
    record Ticks(double step, int decimals) {
        static Ticks of(final double min, final double max, final int target) {
            final double raw = (max / 2 - min / 2) / target * 2;
            final double magnitude = Math.pow(10, Math.floor(Math.log10(Math.min(raw, Double.MAX_VALUE))));
            final double norm = raw / magnitude;
            double step = (norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10) * magnitude;
            if (!Double.isFinite(step) || step <= 0) {
                step = Double.isFinite(raw) && raw > 0 ? raw : Double.MAX_VALUE / 4;
            }
            final int decimals = (int) Math.max(0, -Math.floor(Math.log10(step)));
            return new Ticks(step, decimals);
        }

        /**
         * The ticks in [min, max]: {@code k * step} for whole k, each computed by one
         * multiplication (adding steps up accumulates error: -0.3 + 3 x 0.1 is -5.55e-17, not 0).
         */
        double[] values(final double min, final double max) {
            final double first = Math.ceil(min / step);
            final double last = Math.floor(max / step);
            final int n = (int) Math.max(0, Math.min(1_000, last - first + 1));
            final double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                final double t = (first + i) * step;
                v[i] = Math.abs(t) < step * 1e-9 ? 0.0 : t;
            }
            return v;
        }

        String[] labels(final double[] values) {
            final String[] l = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                l[i] = format(values[i]);
            }
            return l;
        }

        String format(final double value) {
            final double v = Math.abs(value) < step * 1e-9 ? 0.0 : value;
            final double a = Math.abs(v);
            final String text;
            if (decimals == 0 && a >= 1e4 && a < 1e15) {
                // 20k, 1.5M, 3G: short labels for steps and other large integers
                final double unit = a >= 1e9 ? 1e9 : a >= 1e6 ? 1e6 : 1e3;
                final String suffix = unit == 1e9 ? "G" : unit == 1e6 ? "M" : "k";
                final int d = (int) Math.max(0, Math.min(3, -Math.floor(Math.log10(step / unit))));
                text = String.format(Locale.ROOT, "%." + d + "f%s", v / unit, suffix);
            } else if (a != 0 && (a >= 1e6 || a < 1e-4) || decimals > 6) {
                text = String.format(Locale.ROOT, "%.3g", v);
            } else {
                text = String.format(Locale.ROOT, "%." + decimals + "f", v);
            }
            return text.startsWith("-") && text.matches("-[0.]*(e[+-]?0+)?[kMG]?") ? text.substring(1) : text; // never "-0.00"
        }
    }

    /** Time ticks for epoch milliseconds: whole units of a "nice" interval, labelled in UTC. */
    record TimeTicks(double min, double max, long step) {
        private static final long S = 1_000;
        private static final long M = 60 * S;
        private static final long H = 60 * M;
        private static final long D = 24 * H;
        private static final long[] STEPS = {1, 2, 5, 10, 20, 50, 100, 200, 500, S, 2 * S, 5 * S, 10 * S, 15 * S,
            30 * S, M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M, H, 2 * H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D, 14 * D,
            30 * D, 91 * D, 365 * D, 3650 * D};

        static TimeTicks of(final double min, final double max, final int target) {
            final double want = (max - min) / target;
            long step = STEPS[STEPS.length - 1];
            for (final long s : STEPS) {
                if (s >= want) {
                    step = s;
                    break;
                }
            }
            return new TimeTicks(min, max, step);
        }

        double[] values() {
            final long first = (long) Math.ceil(min / step);
            final long last = (long) Math.floor(max / step);
            final int n = (int) Math.max(0, Math.min(1_000, last - first + 1));
            final double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = (double) (first + i) * step;
            }
            return v;
        }

        String format(final double millis) {
            final java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(Math.floorDiv((long) millis, 1000L),
                (int) Math.floorMod((long) millis, 1000L) * 1_000_000, java.time.ZoneOffset.UTC);
            final String pattern = step >= D ? "yyyy-MM-dd" : step >= M ? "MM-dd HH:mm" : step >= S ? "HH:mm:ss"
                : "HH:mm:ss.SSS";
            return t.format(java.time.format.DateTimeFormatter.ofPattern(pattern, Locale.ROOT));
        }
    }
}
