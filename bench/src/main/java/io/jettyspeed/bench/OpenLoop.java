package io.jettyspeed.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Open-loop load: request i is due at {@code start + i / rate} whatever the answers to earlier ones,
 * and its latency counts from that scheduled time, not from when a connection was free to send it.
 * A slow answer therefore shows in the latency of every request queued behind it (no coordinated
 * omission). {@code connections} connections share the schedule.
 */
public final class OpenLoop {

    /** The latencies (microseconds), the CPU over the window, and the answers that were not 2xx, by status. */
    public record Result(Histogram latencyMicros, Side side, Failures failures, long matching) {

        public long errors() {
            return failures.total();
        }
    }

    private OpenLoop() {
    }

    /**
     * Sends {@code rate × duration} requests. {@code matches} counts the answers whose body contains
     * it (e.g. {@code "isDuplicate":true}), so a row can check the mix it meant to send; null skips it.
     */
    public static Result run(Stage stage, String label, int host, int rate, int connections, Duration duration,
            LongFunction<byte[]> request, String matches) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        long total = rate * duration.toMillis() / 1000;
        AtomicLong next = new AtomicLong();
        Failures failures = new Failures();
        AtomicLong matching = new AtomicLong();
        long periodNanos = 1_000_000_000L / rate;
        CpuMeter.Snapshot startCpu = stage.mark();
        long start = System.nanoTime() + 5_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < connections; w++) {
            Thread t = new Thread(() -> {
                try (MiniHttp http = new MiniHttp("localhost", host)) {
                    long i;
                    while ((i = next.getAndIncrement()) < total) {
                        long scheduled = start + i * periodNanos;
                        parkUntil(scheduled);
                        try {
                            MiniHttp.Response r = http.exchange(request.apply(i));
                            recorder.recordValue(Math.max(1, (System.nanoTime() - scheduled) / 1_000));
                            if (r.status() / 100 != 2) {
                                failures.status(r.status());
                            } else if (matches != null && r.text().contains(matches)) {
                                matching.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            recorder.recordValue(Math.max(1, (System.nanoTime() - scheduled) / 1_000));
                            failures.exception(e);
                        }
                    }
                }
            }, "bench-open-loop");
            t.setDaemon(true);
            workers.add(t);
        }
        workers.forEach(Thread::start);
        for (Thread t : workers) {
            t.join();
        }
        Histogram h = recorder.getIntervalHistogram();
        Side side = stage.side(label, h.getTotalCount(), startCpu);
        if (failures.total() > 0) {
            Bench.log("not 2xx in " + label + ": " + failures);
        }
        return new Result(h, side, failures, matching.get());
    }

    static void parkUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
    }
}
