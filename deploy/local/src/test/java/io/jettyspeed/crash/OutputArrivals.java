package io.jettyspeed.crash;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * When the processors' outputs appear: a read_committed consumer of their output topics, from their
 * end, noting the moment each committed record arrives. The processors run exactly once, so a record
 * shows here only once its transaction committed: the first arrival after a restart is the first event
 * processed again.
 */
final class OutputArrivals implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, ConcurrentLinkedQueue<Long>> arrivals = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    OutputArrivals(String bootstrapServers, List<String> topics, int partitions) {
        consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> assigned = topics.stream()
                .flatMap(topic -> java.util.stream.IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)))
                .toList();
        topics.forEach(topic -> arrivals.put(topic, new ConcurrentLinkedQueue<>()));
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        thread = new Thread(this::poll, "output-arrivals");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        try {
            while (!closed) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                records.forEach(record -> arrivals.get(record.topic()).add(now));
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** The first arrival on {@code topic} at or after {@code fromNanos}, or -1. */
    long firstAfter(String topic, long fromNanos) {
        return arrivals.get(topic).stream().filter(at -> at >= fromNanos).mapToLong(Long::longValue).min().orElse(-1);
    }

    /** The longest time in [from, to] without an arrival on {@code topic}. */
    Duration longestGap(String topic, long fromNanos, long toNanos) {
        return Gaps.longest(arrivals.get(topic), fromNanos, toNanos);
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
