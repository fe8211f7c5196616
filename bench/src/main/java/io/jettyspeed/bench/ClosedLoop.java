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
        return run(stage, label, threads, duration, Long.MAX_VALUE, load);
    }

    /**
     * A warm-up: at most {@code steps} steps in all (each thread takes steps from a shared count),
     * and at most {@code cap} of time. Counting requests rather than time warms the JIT the same
     * whatever else the machine is doing: on a busy machine a timed warm-up sends a few hundred
     * requests and the measured windows then pay for C2 compiling the request path.
     */
    public static Side warmUp(Stage stage, int threads, long steps, Duration cap, Load load) throws Exception {
        long started = System.nanoTime();
        Side side = run(stage, "warm-up", threads, cap, steps, load);
        Bench.log(String.format(java.util.Locale.ROOT, "warm-up: %d events in %.1f s", side.events(),
                (System.nanoTime() - started) / 1e9));
        return side;
    }

    private static Side run(Stage stage, String label, int threads, Duration duration, long maxSteps, Load load)
            throws Exception {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            steps.add(load.newStep());
        }
        AtomicLong events = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicLong stepsLeft = new AtomicLong(maxSteps);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        long[] deadline = new long[1];
        for (Step step : steps) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    long mine = 0;
                    while (System.nanoTime() < deadline[0] && stepsLeft.getAndDecrement() > 0) {
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
