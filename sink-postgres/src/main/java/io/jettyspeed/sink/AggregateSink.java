package io.jettyspeed.sink;

import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads the aggregate and fact topics and writes PostgreSQL in batches, one transaction per poll.
 *
 * <p>Why it cannot lose or double a row: the next offset of every partition is written to
 * {@code sink_offsets} in the same transaction as the rows; on (re)assignment the consumer seeks to
 * those offsets, not to Kafka's committed ones. A crash before the commit rolls both back and the
 * batch is read again; after it, both are durable. On top of that every write is idempotent by key
 * (latest-state upserts, facts keyed by event id), so even a replay from offset 0 gives the same
 * numbers.
 *
 * <p>Records that cannot be decoded or break an invariant go to the source's dead-letter topic
 * (before the transaction commits, so a crash can at worst repeat a dead letter, never lose one),
 * and the sink goes on. A database failure is retried from the stored offsets with back-off.
 */
public final class AggregateSink implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AggregateSink.class);

    private final SinkProperties properties;
    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;
    private final Map<String, TableWriter<?>> writers = new LinkedHashMap<>();
    private final Topics topics;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final OffsetStore offsets;
    private final MeterRegistry meters;
    private final Counter rowsWritten;
    private final Counter deadLetters;
    private final Timer batchTimer;

    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public AggregateSink(SinkProperties properties, String bootstrapServers, Topics topics,
            List<TableWriter<?>> tableWriters, JdbcTemplate jdbc, TransactionTemplate transactions,
            MeterRegistry meters) {
        this.properties = properties;
        this.topics = topics;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.offsets = new OffsetStore(jdbc);
        this.meters = meters;
        tableWriters.forEach(writer -> writers.put(writer.topic().name(), writer));
        this.consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, properties.groupId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // The processors write transactionally: never show an aborted aggregate to analysts.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.maxPollRecords());
        this.producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.rowsWritten = Counter.builder("jetty.sink.records.written")
                .description("Records written to PostgreSQL").register(meters);
        this.deadLetters = Counter.builder("jetty.sink.records.dead.lettered")
                .description("Records sent to a dead-letter topic").register(meters);
        this.batchTimer = Timer.builder("jetty.sink.batch.duration")
                .description("Time to write one batch and its offsets in one transaction").register(meters);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "sink-postgres");
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(30_000);
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
        long backoffMs = 500;
        while (running) {
            try (KafkaConsumer<String, byte[]> kafka =
                            new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
                    KafkaProducer<byte[], byte[]> deadLetterProducer =
                            new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
                    KafkaClientMetrics metrics = new KafkaClientMetrics(kafka)) {
                metrics.bindTo(meters);
                consumer = kafka;
                kafka.subscribe(writers.keySet(), new SeekToStoredOffsets(kafka));
                while (running) {
                    ConsumerRecords<String, byte[]> records = kafka.poll(properties.pollTimeout());
                    if (!records.isEmpty()) {
                        Map<TopicPartition, Long> next = writeBatch(records, deadLetterProducer);
                        // Informational only (lag dashboards); the truth is sink_offsets.
                        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
                        next.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(offset)));
                        kafka.commitAsync(commit, null);
                    }
                    backoffMs = 500;
                }
            } catch (WakeupException e) {
                // stopping
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                log.error("sink batch failed, retrying from the stored offsets in {} ms: {}", backoffMs, e.toString());
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 10_000);
            } finally {
                consumer = null;
            }
        }
    }

    private Map<TopicPartition, Long> writeBatch(ConsumerRecords<String, byte[]> records,
            KafkaProducer<byte[], byte[]> deadLetterProducer) {
        Map<String, List<Object>> decoded = new LinkedHashMap<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            next.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            if (record.value() == null) {
                continue;
            }
            TableWriter<?> writer = writers.get(record.topic());
            try {
                decoded.computeIfAbsent(record.topic(), t -> new ArrayList<>()).add(decodeAndCheck(writer, record));
            } catch (TableWriter.InvariantViolation e) {
                sent.add(deadLetter(deadLetterProducer, record, DeadLetterReason.INVARIANT_VIOLATION, e));
            } catch (RuntimeException e) {
                sent.add(deadLetter(deadLetterProducer, record, DeadLetterReason.UNDECODABLE, e));
            }
        }
        awaitAll(sent);
        batchTimer.record(() -> transactions.executeWithoutResult(status -> {
            decoded.forEach((topic, values) -> write(writers.get(topic), values));
            offsets.write(next);
        }));
        rowsWritten.increment(decoded.values().stream().mapToInt(List::size).sum());
        return next;
    }

    @SuppressWarnings("unchecked")
    private static <V> V decodeAndCheck(TableWriter<V> writer, ConsumerRecord<String, byte[]> record) {
        V value = writer.topic().valueSerde().deserializer().deserialize(record.topic(), record.value());
        writer.check(value);
        return value;
    }

    @SuppressWarnings("unchecked")
    private <V> void write(TableWriter<V> writer, List<Object> values) {
        writer.write(jdbc, (List<V>) (List<?>) values);
    }

    private Future<RecordMetadata> deadLetter(KafkaProducer<byte[], byte[]> producer,
            ConsumerRecord<String, byte[]> record, DeadLetterReason reason, RuntimeException cause) {
        deadLetters.increment();
        log.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), cause.getMessage());
        Topic<?, ?> source = writers.get(record.topic()).topic();
        Topic<byte[], DeadLetter> dlt = topics.deadLetters(source);
        byte[] key = record.key() == null ? null : record.key().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        DeadLetter letter = DeadLetter.newBuilder()
                .setReason(reason)
                .setDescription(String.valueOf(cause.getMessage()))
                .setExceptionClass(cause.getClass().getName())
                .setSourceTopic(record.topic())
                .setSourcePartition(record.partition())
                .setSourceOffset(record.offset())
                .setProcessor("sink-postgres")
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(ByteBuffer.wrap(record.value()))
                .setFailedAt(Instant.now())
                .build();
        return producer.send(new ProducerRecord<>(dlt.name(), key, dlt.valueSerde().serializer().serialize(dlt.name(), letter)));
    }

    private static void awaitAll(List<Future<RecordMetadata>> futures) {
        for (Future<RecordMetadata> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing dead letters", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("cannot write a dead letter", e.getCause());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On every assignment, continue exactly where the last committed transaction left off. */
    private final class SeekToStoredOffsets implements ConsumerRebalanceListener {

        private final KafkaConsumer<String, byte[]> kafka;

        SeekToStoredOffsets(KafkaConsumer<String, byte[]> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Map<TopicPartition, Long> stored = offsets.read(partitions);
            for (TopicPartition partition : partitions) {
                Long offset = stored.get(partition);
                if (offset == null) {
                    kafka.seekToBeginning(List.of(partition));
                } else {
                    kafka.seek(partition, offset);
                }
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing to flush: every batch is committed before the next poll.
        }
    }
}
