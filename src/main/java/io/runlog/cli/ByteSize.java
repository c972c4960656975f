package io.runlog.cli;

import picocli.CommandLine;

import java.util.Locale;

/** A byte count as given on the command line: digits with an optional suffix K, M, G or T (powers of 1024). */
final class ByteSize implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(final String value) {
        final String v = value.strip().toUpperCase(Locale.ROOT);
        int shift = 0;
        String digits = v.endsWith("B") ? v.substring(0, v.length() - 1) : v;
        if (!digits.isEmpty()) {
            switch (digits.charAt(digits.length() - 1)) {
                case 'K' -> shift = 10;
                case 'M' -> shift = 20;
                case 'G' -> shift = 30;
                case 'T' -> shift = 40;
                default -> { }
            }
        }
        if (shift > 0) {
            digits = digits.substring(0, digits.length() - 1);
        }
        try {
            final long n = Long.parseLong(digits);
            if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (final NumberFormatException e) {
            throw new CommandLine.TypeConversionException("expected a byte count such as 0, 1048576, 512K, 64M or 2G, got '"
                + value + "'");
        }
    }
}
