package io.jettyspeed.bench;

/**
 * One row of the benchmark's table. A row starts the services it needs in a {@link Stage} of its
 * own, says in its class exactly what each side does, measures, adds its lines to the report, and
 * stops its services; nothing of it outlives {@link #run}.
 */
public interface Row {

    /** The row's number in the table (1-7). */
    int number();

    /** What the row measures, for the log. */
    String title();

    void run(Lab lab, Report report) throws Exception;
}
