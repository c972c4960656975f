package io.runlog.chart;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.font.TextAttribute;
import java.awt.font.TextLayout;
import java.io.IOException;
import java.io.InputStream;
import java.text.AttributedString;
import java.util.ArrayList;
import java.util.List;

/**
 * Text on charts: the JDK's sans-serif font, and for any character it cannot draw (CJK, emoji)
 * a bundled fallback font ({@code fonts/NOTICE.md}: Droid Sans Fallback for CJK, Symbola for
 * emoji), chosen per character, so names in any script render instead of as boxes. Internal.
 *
 * <p>No file outside the output: on Linux the JDK's font configuration writes a cache,
 * {@code ~/.java/fonts/<version>/fcinfo-*.properties}, the first time fonts are used. It reads
 * {@code user.home} for that once, while the font system starts; {@link #startFonts()} starts it
 * with {@code user.home} pointing where nothing can be created ({@code /dev/null/...}, so the
 * write fails quietly, as the JDK intends when the home is not writable) and restores it at once.
 * A fallback font is read from the jar only when a text needs it; the JDK copies it to a private
 * temporary file in {@code java.io.tmpdir} ({@code +~JF*.tmp}, mode 0600, deleted by the JDK).
 */
final class ChartText {
    private static final String[] FALLBACKS = {"fonts/DroidSansFallback.ttf", "fonts/Symbola.ttf"};
    private static volatile List<Font> fallbacks;

    static {
        startFonts();
    }

    private ChartText() {
    }

    /** Starts the JDK's font system without letting it write its cache into the home directory. */
    static synchronized void startFonts() {
        final String home = System.getProperty("user.home");
        System.setProperty("user.home", "/dev/null/runlog-no-font-cache");
        try {
            new Font(Font.SANS_SERIF, Font.PLAIN, 12).canDisplay('a'); // creates the font manager and its configuration
            java.awt.GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames();
        } finally {
            if (home == null) {
                System.clearProperty("user.home");
            } else {
                System.setProperty("user.home", home);
            }
        }
    }

    /** The fallback fonts, loaded on first use. */
    private static List<Font> fallbacks() {
        List<Font> f = fallbacks;
        if (f == null) {
            synchronized (ChartText.class) {
                f = fallbacks;
                if (f == null) {
                    f = new ArrayList<>();
                    for (final String name : FALLBACKS) {
                        try (InputStream in = ChartText.class.getResourceAsStream(name)) {
                            if (in != null) {
                                f.add(Font.createFont(Font.TRUETYPE_FONT, in));
                            }
                        } catch (final IOException | FontFormatException e) {
                            // without it those characters show as boxes; the chart itself is still right
                        }
                    }
                    fallbacks = f;
                }
            }
        }
        return f;
    }

    /** The text with a font chosen per character: {@code base} where it can draw it, else the first fallback that can. */
    static AttributedString styled(final String text, final Font base) {
        final AttributedString s = new AttributedString(text);
        if (text.isEmpty()) {
            return s;
        }
        s.addAttribute(TextAttribute.FONT, base);
        if (base.canDisplayUpTo(text) < 0) {
            return s;
        }
        for (int i = 0; i < text.length(); ) {
            final int cp = text.codePointAt(i);
            final int n = Character.charCount(cp);
            if (!base.canDisplay(cp)) {
                for (final Font f : fallbacks()) {
                    if (f.canDisplay(cp)) {
                        s.addAttribute(TextAttribute.FONT, f.deriveFont(base.getStyle(), base.getSize2D()), i, i + n);
                        break;
                    }
                }
            }
            i += n;
        }
        return s;
    }

    /** True if every character of {@code text} can be drawn by the base font or a fallback (no boxes). */
    static boolean canRender(final String text, final Font base) {
        for (int i = 0; i < text.length(); ) {
            final int cp = text.codePointAt(i);
            if (!base.canDisplay(cp) && fallbacks().stream().noneMatch(f -> f.canDisplay(cp))) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** Draws the text with its baseline at (x, y). */
    static void draw(final Graphics2D g, final String text, final float x, final float y) {
        if (!text.isEmpty()) {
            g.drawString(styled(text, g.getFont()).getIterator(), x, y);
        }
    }

    /** The advance width of the text as {@link #draw} draws it. */
    static int width(final Graphics2D g, final String text) {
        if (text.isEmpty()) {
            return 0;
        }
        return (int) Math.ceil(new TextLayout(styled(text, g.getFont()).getIterator(), g.getFontRenderContext())
            .getAdvance());
    }
}
