package io.runlog.bench;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the baseline of a benchmark method: another benchmark method of the same class, measured
 * in the same run, that the report ({@link BenchReport}) divides by. A ratio survives a noisy
 * machine; an absolute number does not.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ComparedTo {
    /** The baseline's method name. */
    String value();
}
