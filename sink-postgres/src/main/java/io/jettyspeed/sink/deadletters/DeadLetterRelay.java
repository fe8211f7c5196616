package io.jettyspeed.sink.deadletters;

import io.jettyspeed.sink.SinkProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the letters of {@code sink_dead_letters} to their dead-letter topics and marks them
 * published, on a thread of its own, so the sink never waits for a dead-letter topic.
 *
 * <p>A topic that is missing or unreachable is set aside with a growing pause (letters for other
 * topics still go) and its letters wait in the table: the backlog is a metric
 * ({@code jetty_sink_dead_letters_backlog}) and a readiness detail, and it drains once the topic is
 * back. Rows are taken with {@code FOR UPDATE SKIP LOCKED}, so several sink instances share the
 * work without publishing a letter twice at the same time; a crash between the broker's
 * acknowledgement and the update can publish a letter again (at least once: a letter is identified
 * by its source topic, partition and offset). Published letters are deleted after the retention.
 *
 * <p>Why not spring-kafka's {@code DeadLetterPublishingRecoverer}: it publishes while the failed
 * record is being handled, outside the PostgreSQL transaction that commits the batch's offsets, so
 * a crash in between loses or doubles a letter, and an unreachable dead-letter topic fails the
 * recovery and stalls the batch; it also writes the raw record, where our dead-letter topics carry
 * a typed {@code DeadLetter}. It does publish with a {@link KafkaTemplate}, as this does.
 */
public final class DeadLetterRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRelay.class);
    private static final Duration MAX_TOPIC_PAUSE = Duration.ofSeconds(30);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration CLEANUP_EVERY = Duration.ofMinutes(1);

    private final DeadLetterOutbox outbox;
    private final TransactionTemplate transactions;
    private final KafkaTemplate<byte[], byte[]> kafka;
    private final SinkProperties.DeadLetters settings;
    private final Counter published;
    private final AtomicLong backlog = new AtomicLong();
    private final Map<String, TopicPause> paused = new HashMap<>();
    private final Object wakeUp = new Object();

    private volatile boolean running;
    private volatile boolean woken;
    private Thread thread;
    private long nextCleanupNanos;

    private record TopicPause(long untilNanos, Duration pause) {
    }

    public DeadLetterRelay(DeadLetterOutbox outbox, TransactionTemplate transactions,
            KafkaTemplate<byte[], byte[]> kafka, SinkProperties.DeadLetters settings, MeterRegistry meters) {
        this.outbox = outbox;
        this.transactions = transactions;
        this.kafka = kafka;
        this.settings = settings;
        this.published = Counter.builder("jetty.sink.dead.letters.published")
                .description("Dead letters published from sink_dead_letters to their topics").register(meters);
        Gauge.builder("jetty.sink.dead.letters.backlog", backlog, AtomicLong::get)
                .description("Dead letters committed to sink_dead_letters and not yet published to their topic")
                .register(meters);
    }

    /** Unpublished letters, as of the last round (plus those committed since). */
    public long backlog() {
        return backlog.get();
    }

    /** The sink committed {@code letters} new letters: count them and publish them soon. */
    public void committed(int letters) {
        backlog.addAndGet(letters);
        woken = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    /** Topics whose letters wait, with the time they wait until (for the health details). */
    public synchronized Map<String, Duration> pausedTopics() {
        long now = System.nanoTime();
        Map<String, Duration> result = new LinkedHashMap<>();
        paused.forEach((topic, pause) -> result.put(topic, Duration.ofNanos(Math.max(0, pause.untilNanos - now))));
        return result;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "sink-dead-letter-relay");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        if (thread != null) {
            try {
                thread.join(SEND_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        Duration pause = settings.relayInterval();
        while (running) {
            try {
                int sent = relayOnce();
                backlog.set(outbox.backlog());
                cleanUpIfDue();
                pause = settings.relayInterval();
                if (sent == 0) {
                    await(pause);
                }
            } catch (RuntimeException e) {
                // PostgreSQL unreachable: the letters are safe in the table; try again later.
                log.warn("dead-letter relay: {}; retrying in {}", e.toString(), pause);
                await(pause);
                pause = min(pause.multipliedBy(2), MAX_TOPIC_PAUSE);
            }
        }
    }

    /** Publishes one round of letters; returns how many reached their topic. */
    int relayOnce() {
        Integer sent = transactions.execute(status -> {
            List<DeadLetterOutbox.Stored> letters = outbox.lockUnpublished(settings.relayBatch(), pausedTopicNames());
            Map<Long, CompletableFuture<SendResult<byte[], byte[]>>> inFlight = new LinkedHashMap<>();
            Map<Long, String> topicOf = new HashMap<>();
            List<String> failedTopics = new ArrayList<>();
            for (DeadLetterOutbox.Stored letter : letters) {
                if (failedTopics.contains(letter.dltTopic())) {
                    continue;
                }
                try {
                    inFlight.put(letter.id(), kafka.send(new ProducerRecord<>(letter.dltTopic(), letter.key(), letter.value())));
                    topicOf.put(letter.id(), letter.dltTopic());
                } catch (RuntimeException e) {
                    failedTopics.add(letter.dltTopic());
                    topicFailed(letter.dltTopic(), e);
                }
            }
            List<Long> done = new ArrayList<>();
            inFlight.forEach((id, future) -> {
                String topic = topicOf.get(id);
                try {
                    future.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    done.add(id);
                    topicSucceeded(topic);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    if (!failedTopics.contains(topic)) {
                        failedTopics.add(topic);
                        topicFailed(topic, e);
                    }
                }
            });
            outbox.markPublished(done);
            return done.size();
        });
        int count = sent == null ? 0 : sent;
        published.increment(count);
        return count;
    }

    private synchronized List<String> pausedTopicNames() {
        long now = System.nanoTime();
        List<String> names = new ArrayList<>();
        paused.forEach((topic, pause) -> {
            if (pause.untilNanos > now) {
                names.add(topic);
            }
        });
        return names;
    }

    private synchronized void topicFailed(String topic, Exception e) {
        TopicPause previous = paused.get(topic);
        Duration pause = previous == null ? settings.relayInterval() : min(previous.pause.multipliedBy(2), MAX_TOPIC_PAUSE);
        paused.put(topic, new TopicPause(System.nanoTime() + pause.toNanos(), pause));
        Throwable cause = e.getCause() == null ? e : e.getCause();
        log.warn("dead-letter topic {} unavailable ({}); its letters wait in sink_dead_letters, next try in {}",
                topic, cause.toString(), pause);
    }

    private synchronized void topicSucceeded(String topic) {
        if (paused.remove(topic) != null) {
            log.info("dead-letter topic {} reachable again; publishing its waiting letters", topic);
        }
    }

    private void cleanUpIfDue() {
        long now = System.nanoTime();
        if (now - nextCleanupNanos < 0) {
            return;
        }
        nextCleanupNanos = now + CLEANUP_EVERY.toNanos();
        int deleted;
        do {
            deleted = outbox.deletePublishedBefore(settings.retention(), 10_000);
        } while (deleted == 10_000 && running);
    }

    private void await(Duration pause) {
        synchronized (wakeUp) {
            if (woken || !running) {
                woken = false;
                return;
            }
            try {
                wakeUp.wait(Math.max(1, pause.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
            woken = false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
