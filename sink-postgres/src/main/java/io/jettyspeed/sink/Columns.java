package io.jettyspeed.sink;

import java.util.function.IntFunction;

/**
 * A batch laid out column by column, for statements that take one array per column and
 * {@code unnest} them: the whole batch is one statement with a fixed number of parameters.
 */
public final class Columns {

    private final Object[][] columns;

    public Columns(int rows, int columnCount) {
        this.columns = new Object[columnCount][rows];
    }

    /** Sets row {@code row} from the values of every column, in order. */
    public void set(int row, Object... values) {
        if (values.length != columns.length) {
            throw new IllegalArgumentException("expected " + columns.length + " values, got " + values.length);
        }
        for (int column = 0; column < values.length; column++) {
            columns[column][row] = values[column];
        }
    }

    /** The columns as typed arrays (the JDBC driver maps {@code String[]}, {@code Long[]}... to SQL arrays). */
    @SafeVarargs
    public final Object[] arrays(IntFunction<? extends Object[]>... types) {
        Object[] arrays = new Object[columns.length];
        for (int column = 0; column < columns.length; column++) {
            Object[] typed = types[column].apply(columns[column].length);
            System.arraycopy(columns[column], 0, typed, 0, typed.length);
            arrays[column] = typed;
        }
        return arrays;
    }
}
