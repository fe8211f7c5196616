package io.jettyspeed.gateway.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every view's freshness watermark current in the background and lets a read wait, briefly,
 * for it. A cheap Admin polling loop: every {@code pollInterval} one {@code listOffsets} and one
 * offset fetch for all groups (plus, rarely, a {@code describeTopics} and a {@code listGroups}),
 * fed to the {@link WatermarkTracker}; a request never talks to Kafka.
 *
 * <p>Waiting: a read that needs W to pass the time it was asked blocks its thread on a monitor
 * woken at every watermark change and at every change of a view, up to its deadline. At most
 * {@code maxWaiting} requests wait at once; the next one answers at once with what it has
 * ({@code pending}), so a stall of the processors cannot take all of the server's threads.
 */
public final class Freshness implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Freshness.class);

    private final OffsetsSource offsets;
    private final WatermarkTracker tracker;
    private final Function<ViewKind, Map<TopicPartition, Long>> positions;
    private final Clock clock;
    private final long pollNanos;
    private final long timeoutMs;
    private final java.util.concurrent.Semaphore waitSlots;
    private final Object monitor = new Object();
    private final Map<ViewKind, Instant> published = new EnumMap<>(ViewKind.class);
    private volatile Map<ViewKind, Instant> watermarks = Map.of();
    private volatile Map<ViewKind, String> waitingFor = Map.of();
    private volatile int waiters;
    private volatile boolean running = true;
    private volatile Instant lastFailureLoggedAt = Instant.EPOCH;
    private volatile String lastFailure;
    private Thread thread;

    public Freshness(OffsetsSource offsets, WatermarkTracker tracker,
            Function<ViewKind, Map<TopicPartition, Long>> positions, Clock clock, Duration pollInterval,
            Duration requestTimeout, int maxWaiting) {
        this.offsets = offsets;
        this.tracker = tracker;
        this.positions = positions;
        this.clock = clock;
        this.pollNanos = pollInterval.toNanos();
        this.timeoutMs = requestTimeout.toMillis() + 500;
        this.waitSlots = new java.util.concurrent.Semaphore(maxWaiting);
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::run, "view-freshness");
        thread.setDaemon(true);
        thread.start();
    }

    /** W of a view: every event acknowledged before it is reflected there. Empty until known. */
    public Optional<Instant> asOf(ViewKind view) {
        return Optional.ofNullable(watermarks.get(view));
    }

    /** The oldest W of these views: what an answer reading all of them is as fresh as. */
    public Optional<Instant> asOf(Set<ViewKind> views) {
        Instant oldest = null;
        for (ViewKind view : views) {
            Instant w = watermarks.get(view);
            if (w == null) {
                return Optional.empty();
            }
            oldest = oldest == null || w.isBefore(oldest) ? w : oldest;
        }
        return Optional.ofNullable(oldest);
    }

    /** Whether everything acknowledged before {@code askedAt} is reflected in these views. */
    public boolean covers(Set<ViewKind> views, Instant askedAt) {
        return asOf(views).map(w -> !w.isBefore(askedAt)).orElse(false);
    }

    /** What the oldest probe of the view waits for, in words, if it waits. */
    public Optional<String> waitingFor(ViewKind view) {
        return Optional.ofNullable(waitingFor.get(view));
    }

    /** The last failure of the polling loop, if the last tick failed. */
    public Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /** The current time on the clock the watermark is measured by. */
    public Instant now() {
        return clock.instant();
    }

    /**
     * Waits until these views cover {@code askedAt}, or {@code done} says the answer no longer
     * needs it, or {@code deadlineNanos} ({@link System#nanoTime()}) passes.
     *
     * @return how the wait ended
     */
    public WaitOutcome await(Set<ViewKind> views, Instant askedAt, long deadlineNanos, BooleanSupplier done) {
        if (covers(views, askedAt) || done.getAsBoolean()) {
            return WaitOutcome.FRESH;
        }
        if (deadlineNanos - System.nanoTime() <= 0) {
            return WaitOutcome.NOT_ASKED;
        }
        if (!waitSlots.tryAcquire()) {
            return WaitOutcome.REFUSED;
        }
        try {
            synchronized (monitor) {
                waiters++;
                try {
                    while (true) {
                        if (covers(views, askedAt) || done.getAsBoolean()) {
                            return WaitOutcome.FRESH;
                        }
                        long remaining = deadlineNanos - System.nanoTime();
                        if (remaining <= 0) {
                            return WaitOutcome.TIMED_OUT;
                        }
                        TimeUnit.NANOSECONDS.timedWait(monitor, remaining);
                    }
                } finally {
                    waiters--;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return WaitOutcome.TIMED_OUT;
        } finally {
            waitSlots.release();
        }
    }

    /** How a wait for freshness ended. */
    public enum WaitOutcome {
        /** Fresh enough at once or after waiting. */
        FRESH,
        /** Not fresh, and the request did not ask to wait. */
        NOT_ASKED,
        /** Not fresh by the deadline. */
        TIMED_OUT,
        /** Not fresh, and too many requests were waiting already. */
        REFUSED
    }

    /** Wakes waiting reads to look again (a view changed, or a watermark moved). */
    public void changed() {
        if (waiters > 0) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    /** One round of the loop; package-private for tests, which drive it with fake offsets and clock. */
    void tick() throws Exception {
        Instant t0 = clock.instant();
        CompletableFuture<Map<TopicPartition, Long>> ends = offsets.endOffsets(tracker.topics());
        CompletableFuture<Map<String, Map<TopicPartition, Long>>> committed = offsets.committedOffsets(tracker.groups());
        Map<TopicPartition, Long> endOffsets = ends.get(timeoutMs, TimeUnit.MILLISECONDS);
        Map<String, Map<TopicPartition, Long>> groupOffsets = committed.get(timeoutMs, TimeUnit.MILLISECONDS);
        tracker.tick(t0, endOffsets, groupOffsets, positions);
        Map<ViewKind, Instant> next = new EnumMap<>(ViewKind.class);
        Map<ViewKind, String> waits = new EnumMap<>(ViewKind.class);
        boolean moved = false;
        for (ViewKind view : ViewKind.values()) {
            Optional<Instant> w = tracker.watermark(view);
            w.ifPresent(instant -> next.put(view, instant));
            tracker.waitingFor(view).ifPresent(wait -> waits.put(view, wait));
            moved |= w.isPresent() && !w.get().equals(published.get(view));
        }
        published.putAll(next);
        watermarks = Map.copyOf(next);
        waitingFor = Map.copyOf(waits);
        lastFailure = null;
        if (moved) {
            changed();
        }
    }

    private void run() {
        while (running) {
            long started = System.nanoTime();
            try {
                tick();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                        ? e.getCause() : e;
                lastFailure = cause.getClass().getSimpleName() + ": " + cause.getMessage();
                Instant now = clock.instant();
                if (running && Duration.between(lastFailureLoggedAt, now).compareTo(Duration.ofSeconds(30)) > 0) {
                    lastFailureLoggedAt = now;
                    log.warn("cannot measure how fresh the views are (answers say pending meanwhile): {}", lastFailure);
                }
            }
            long sleep = pollNanos - (System.nanoTime() - started);
            if (sleep > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        Thread current = thread;
        if (current != null) {
            current.interrupt();
            try {
                current.join(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        offsets.close();
    }
}
