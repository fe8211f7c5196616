package io.jettyspeed.bench;

/**
 * One row of the benchmark's table. A row starts the services it needs in a {@link Stage} of its
 * own ({@link #stage}), says in its class exactly what each side does, measures, adds its lines to
 * the report, and stops its services; nothing of it outlives {@link #run}.
 */
public abstract class Row {

    private final int number;
    private final String title;

    /**
     * @param number the row's number in the table (1-7)
     * @param title  what the row measures, for the log
     */
    protected Row(int number, String title) {
        this.number = number;
        this.title = title;
    }

    public final int number() {
        return number;
    }

    public final String title() {
        return title;
    }

    /** The row's own stage, {@code b<number>}, where it starts its services. */
    protected final Stage stage(Lab lab) throws Exception {
        return lab.stage("b" + number, title);
    }

    public abstract void run(Lab lab, Report report) throws Exception;
}
