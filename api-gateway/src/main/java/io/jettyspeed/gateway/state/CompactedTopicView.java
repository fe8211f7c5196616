package io.jettyspeed.gateway.state;

import io.jettyspeed.schemas.Topic;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only local copy of a compacted aggregate topic, kept current by a background consumer.
 *
 * <p>Why a local copy rather than interactive queries: every gateway instance reads all partitions,
 * so a lookup is a hash-map read (microseconds) that never depends on which processor instance owns
 * the key, and it stays correct however many processor instances run. The price is memory
 * proportional to the live aggregates and a lag of one commit interval behind the processors.
 *
 * <p>Reads {@code read_committed}: the processors write these topics transactionally
 * (exactly-once), so aborted writes never show. A value that cannot be decoded is skipped and
 * counted rather than stalling the view.
 */
public final class CompactedTopicView<V> implements AutoCloseable {

    /** Called on every change, on the view's consumer thread; keep it quick. */
    public interface Listener<V> {
        void changed(String key, V previous, V current);
    }

    private static final Logger log = LoggerFactory.getLogger(CompactedTopicView.class);

    private final Topic<String, V> topic;
    private final Map<String, Object> consumerConfig;
    private final ConcurrentHashMap<String, V> entries = new ConcurrentHashMap<>();
    private final List<Listener<V>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong undecodable = new AtomicLong();
    /** Next offset to read, per partition, as of the last poll; what the freshness watermark compares with. */
    private volatile Map<TopicPartition, Long> positions = Map.of();
    private final List<Runnable> pollListeners = new CopyOnWriteArrayList<>();
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public CompactedTopicView(Topic<String, V> topic, String bootstrapServers) {
        this.topic = topic;
        this.consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "gateway-view-" + topic.name());
    }

    public void addListener(Listener<V> listener) {
        listeners.add(listener);
    }

    /** Called on the view's consumer thread after every poll that moved the view forward; keep it quick. */
    public void addPollListener(Runnable listener) {
        pollListeners.add(listener);
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::run, "view-" + topic.name());
        thread.setDaemon(true);
        thread.start();
    }

    public Optional<V> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    public Collection<V> values() {
        return entries.values();
    }

    public int size() {
        return entries.size();
    }

    /** True once everything that was on the topic when the view started has been read. */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /**
     * The next offset the view reads in each partition (a partition it has not been assigned yet is
     * absent): every record below it, transaction markers included, is applied.
     */
    public Map<TopicPartition, Long> positions() {
        return positions;
    }

    public long undecodableRecords() {
        return undecodable.get();
    }

    public String topicName() {
        return topic.name();
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> kafka =
                    new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = kafka;
                List<TopicPartition> partitions = awaitPartitions(kafka);
                kafka.assign(partitions);
                kafka.seekToBeginning(partitions);
                Map<TopicPartition, Long> startEnd = new HashMap<>(kafka.endOffsets(partitions));
                positions = Map.of();
                while (running) {
                    // short polls: the position moves past a transaction marker only in a poll, and the
                    // freshness watermark waits for the view's position
                    for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofMillis(50))) {
                        apply(record);
                    }
                    Map<TopicPartition, Long> now = currentPositions(kafka, partitions);
                    if (now != null && !now.equals(positions)) {
                        positions = Map.copyOf(now);
                        for (Runnable listener : pollListeners) {
                            listener.run();
                        }
                    }
                    if (!caughtUp && now != null && partitions.stream().allMatch(p -> now.get(p) >= startEnd.get(p))) {
                        caughtUp = true;
                        log.info("view of {} caught up with {} entries", topic.name(), entries.size());
                    }
                }
            } catch (WakeupException | InterruptException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("view of {} failed, reconnecting: {}", topic.name(), e.toString());
                    sleepQuietly(1_000);
                }
            }
        }
    }

    /** Positions without a network round trip, or null while one of them is not known yet (first poll, broker away). */
    private static Map<TopicPartition, Long> currentPositions(KafkaConsumer<String, byte[]> kafka,
            List<TopicPartition> partitions) {
        Map<TopicPartition, Long> now = new HashMap<>();
        try {
            for (TopicPartition partition : partitions) {
                now.put(partition, kafka.position(partition, Duration.ZERO));
            }
        } catch (org.apache.kafka.common.errors.TimeoutException unknownYet) {
            return null;
        }
        return now;
    }

    private List<TopicPartition> awaitPartitions(KafkaConsumer<String, byte[]> kafka) {
        while (running) {
            var infos = kafka.partitionsFor(topic.name(), Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            sleepQuietly(500);
        }
        throw new WakeupException();
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key == null) {
            return;
        }
        V current;
        if (record.value() == null) {
            current = null;
        } else {
            try {
                current = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
            } catch (RuntimeException e) {
                undecodable.incrementAndGet();
                log.warn("skipping undecodable record {}-{}@{}: {}", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
                return;
            }
        }
        V previous = current == null ? entries.remove(key) : entries.put(key, current);
        for (Listener<V> listener : listeners) {
            try {
                listener.changed(key, previous, current);
            } catch (RuntimeException e) {
                log.warn("listener of {} failed: {}", topic.name(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
