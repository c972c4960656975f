package io.runlog;

/**
 * One logged value of a parameter. Numbers keep their exact bits: {@link #doubleValue()} returns
 * the logged double bit for bit, NaN payloads included.
 *
 * @param name       the parameter's name
 * @param type       the type it was logged with
 * @param text       the value as text for {@link ParameterType#STRING}, else its canonical text
 * @param bits       raw bits: double bits, the long, or 0/1 for a boolean; 0 for a string
 * @param timestamp  epoch milliseconds of the log call
 */
public record Parameter(String name, ParameterType type, String text, long bits, long timestamp) {
    /** The value of a {@link ParameterType#DOUBLE} parameter. */
    public double doubleValue() {
        requireType(ParameterType.DOUBLE);
        return Double.longBitsToDouble(bits);
    }

    /** The value of a {@link ParameterType#LONG} parameter. */
    public long longValue() {
        requireType(ParameterType.LONG);
        return bits;
    }

    /** The value of a {@link ParameterType#BOOLEAN} parameter. */
    public boolean booleanValue() {
        requireType(ParameterType.BOOLEAN);
        return bits != 0;
    }

    private void requireType(final ParameterType wanted) {
        if (type != wanted) {
            throw new InvalidValueException("parameter '" + name + "' is a " + type + ", not a " + wanted);
        }
    }
}
