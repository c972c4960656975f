package io.runlog.cli;

import io.runlog.InvalidValueException;
import io.runlog.SampleQuery;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.Locale;

/**
 * {@code --max N [--algo lttb|minmax-lttb] [--x step|timestamp] [--from A] [--to B]}: the options
 * that turn {@code runlog series} into a sampled read. A bad value is a usage error (exit 2).
 */
final class SampleOptions {
    @Option(names = "--max", paramLabel = "N",
        description = "Sample to at most N points (>= 3) with LTTB; default when another sampling option is given: 15000.")
    Integer max;

    @Option(names = "--algo", paramLabel = "ALGO", converter = AlgorithmConverter.class,
        description = "lttb (default) or minmax-lttb.")
    SampleQuery.Algorithm algorithm;

    @Option(names = "--x", paramLabel = "AXIS", converter = AxisConverter.class,
        description = "The x axis points are ordered, ranged and sampled on: step (default) or timestamp.")
    SampleQuery.Axis axis;

    @Option(names = "--from", paramLabel = "A", description = "Only points with x >= A (with --max: zoom into a range).")
    Long from;

    @Option(names = "--to", paramLabel = "B", description = "Only points with x <= B.")
    Long to;

    /** The query the options describe, or null if none was given (a raw read). */
    SampleQuery query(final CommandSpec spec, final int defaultMax) {
        if (max == null && algorithm == null && axis == null && from == null && to == null) {
            return null;
        }
        SampleQuery q;
        try {
            q = SampleQuery.ofMax(max == null ? defaultMax : max);
        } catch (final InvalidValueException e) {
            throw new ParameterException(spec.commandLine(), "--max: " + e.getMessage());
        }
        if (algorithm != null) {
            q = q.withAlgorithm(algorithm);
        }
        if (axis != null) {
            q = q.withAxis(axis);
        }
        if (from != null || to != null) {
            try {
                q = q.withRange(from == null ? Long.MIN_VALUE : from, to == null ? Long.MAX_VALUE : to);
            } catch (final InvalidValueException e) {
                throw new ParameterException(spec.commandLine(), "--from/--to: " + e.getMessage());
            }
        }
        return q;
    }

    static final class AlgorithmConverter implements CommandLine.ITypeConverter<SampleQuery.Algorithm> {
        @Override
        public SampleQuery.Algorithm convert(final String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "lttb" -> SampleQuery.Algorithm.LTTB;
                case "minmax-lttb", "minmaxlttb" -> SampleQuery.Algorithm.MINMAX_LTTB;
                default -> throw new CommandLine.TypeConversionException("expected lttb or minmax-lttb, got '" + value + "'");
            };
        }
    }

    static final class AxisConverter implements CommandLine.ITypeConverter<SampleQuery.Axis> {
        @Override
        public SampleQuery.Axis convert(final String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "step" -> SampleQuery.Axis.STEP;
                case "timestamp" -> SampleQuery.Axis.TIMESTAMP;
                default -> throw new CommandLine.TypeConversionException("expected step or timestamp, got '" + value + "'");
            };
        }
    }
}
