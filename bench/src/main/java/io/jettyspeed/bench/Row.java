package io.jettyspeed.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One row of the benchmark's table. A row starts the services it needs in a {@link Stage} of its
 * own, says in its class exactly what each side does, measures, adds its lines to
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

    /** Runs the row in a stage of its own, {@code b<number>}, stopped after with all it started. */
    public final void run(Lab lab, Report report) throws Exception {
        try (Stage stage = lab.stage("b" + number, title)) {
            run(lab, lab.options(), stage, report);
        }
    }

    /** Starts the services the row needs in {@code stage}, measures and adds the row's lines to the report. */
    protected abstract void run(Lab lab, BenchOptions o, Stage stage, Report report) throws Exception;

    /** One side of a pair: measures it once; {@code pair} ("pair 3") is for the log. */
    @FunctionalInterface
    protected interface Measurement<T> {
        T measure(String pair) throws Exception;
    }

    /** The sides of pair {@code index} (from 0), in their order; what they share is made here, once a pair. */
    @FunctionalInterface
    protected interface Sides<T> {
        List<Measurement<T>> of(int index) throws Exception;
    }

    /** What a row does with a measured pair (from 1): its sides, in their order. */
    @FunctionalInterface
    protected interface MeasuredPair<T> {
        void accept(int pair, List<T> sides) throws Exception;
    }

    /**
     * The rows' one way to measure: {@code count} pairs, the sides of each back to back, in their
     * order in the first pair, the other way round in the next, and so on (A, B; B, A; ...), so
     * that neither side always runs first or right after the other; see {@link Pairs}.
     */
    protected static <T> void alternate(int count, Sides<T> sides, MeasuredPair<T> each) throws Exception {
        for (int i = 0; i < count; i++) {
            List<Measurement<T>> measurements = sides.of(i);
            List<T> measured = new ArrayList<>(Collections.nCopies(measurements.size(), null));
            for (int k = 0; k < measurements.size(); k++) {
                int side = i % 2 == 0 ? k : measurements.size() - 1 - k;
                measured.set(side, measurements.get(side).measure("pair " + (i + 1)));
            }
            each.accept(i + 1, measured);
        }
    }
}
