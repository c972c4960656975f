package io.runlog;

/** The type a parameter value was logged with; it is kept so that it reads back the same. */
public enum ParameterType {
    STRING,
    DOUBLE,
    LONG,
    BOOLEAN
}
