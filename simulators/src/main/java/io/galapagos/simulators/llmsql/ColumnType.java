package io.galapagos.simulators.llmsql;

/** The type pandas infers for a column; it decides how cells render and compare. */
public enum ColumnType {
    /** Every cell an integer literal; text is the canonical decimal. */
    INT,
    /** Numbers with at least one non-integer or missing cell; text is Python's {@code repr}. */
    FLOAT,
    /** {@code True}/{@code False}. */
    BOOL,
    /** Anything else; text as in the file. */
    STRING;

    public boolean numeric() {
        return this != STRING;
    }
}
