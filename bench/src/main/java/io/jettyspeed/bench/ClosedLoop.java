package io.jettyspeed.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load: {@code threads} threads each repeat their step (one request, or one round of
 * sends waited for) as fast as answers come back, for a fixed time. Measures completed events per
 * second and the CPU of every process over exactly that time.
 */
public final class ClosedLoop {

    /** One thread's unit of work: returns the events it got acknowledged; throws on a failure. */
    public interface Step {
        int run() throws Exception;
    }

    /** Makes one {@link Step} per thread (each with its own connection, if it needs one). */
    public interface Load {
        Step newStep() throws Exception;
    }

    private ClosedLoop() {
    }

    public static Side run(Stage stage, String label, int threads, Duration duration, Load load) throws Exception {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            steps.add(load.newStep());
        }
        AtomicLong events = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        long[] deadline = new long[1];
        for (Step step : steps) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    long mine = 0;
                    while (System.nanoTime() < deadline[0]) {
                        try {
                            mine += step.run();
                        } catch (Exception e) {
                            if (failures.incrementAndGet() == 1) {
                                Bench.log("first failure in " + label + ": " + e);
                            }
                        }
                    }
                    events.addAndGet(mine);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "bench-load");
            t.setDaemon(true);
            t.start();
        }
        CpuMeter.Snapshot start = stage.mark();
        deadline[0] = start.nanoTime() + duration.toNanos();
        go.countDown();
        done.await();
        Side side = stage.side(label, events.get(), start);
        for (Step step : steps) {
            if (step instanceof AutoCloseable c) {
                c.close();
            }
        }
        if (failures.get() > 0) {
            Bench.log(failures.get() + " failed steps in " + label + " (not counted)");
        }
        return side;
    }
}
