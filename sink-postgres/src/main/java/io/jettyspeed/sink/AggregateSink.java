package io.jettyspeed.sink;

import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.sink.deadletters.DeadLetterOutbox;
import io.jettyspeed.sink.deadletters.DeadLetterRelay;
import io.jettyspeed.sink.deadletters.PendingLetter;
import io.jettyspeed.sink.poison.Bisect;
import io.jettyspeed.sink.poison.Failures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.listener.BatchAcknowledgingConsumerAwareMessageListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the aggregate and fact topics into PostgreSQL: a batch listener of a spring-kafka
 * {@code ConcurrentMessageListenerContainer} (see {@code SinkConfiguration}), one PostgreSQL
 * transaction per batch with the batch's rows, its dead letters and its offsets.
 *
 * <p><b>Nothing lost, nothing doubled.</b> The next offset of every partition lives in
 * {@code sink_offsets} and is written in the batch's transaction; on assignment
 * ({@link ConsumerSeekAware}) the consumer seeks to it, not to Kafka's committed offset (which is
 * also committed, after the transaction, for lag tools only). Every write is idempotent by key
 * (latest-state upserts, facts once per event id). We keep the offsets in PostgreSQL rather than
 * use Kafka's: only then do rows and offsets commit atomically.
 *
 * <p><b>Poison is not an outage.</b> A record that does not decode or breaks an invariant, a row
 * PostgreSQL refuses (a NUL byte in text, a number or timestamp out of range, a constraint), or a
 * record a table writer throws on, becomes a dead letter with its reason, PostgreSQL's message and
 * SQLSTATE and its coordinates, inserted into {@code sink_dead_letters} in the same transaction
 * (an outbox: {@link DeadLetterRelay} publishes it to {@code <topic>-dlt}), and the rest of the
 * batch commits. The common path is one statement per table; only when PostgreSQL refuses a row is
 * the batch written again, each table under a savepoint and split in halves ({@link Bisect}) until
 * the refused records are found. Which failure is which is decided by {@link Failures}: only a
 * database that cannot be used (down, unreachable, out of connections, conflicts) is an outage; the
 * listener then throws and spring-kafka's {@code DefaultErrorHandler} retries the batch with an
 * unbounded back-off, polling meanwhile so the consumer keeps its partitions. We do not throw
 * {@code BatchListenerFailedException} for a refused row: the error handler would then settle one
 * record per redelivery and recover it (publish its letter) outside the PostgreSQL transaction that
 * holds the offsets, where the bisect finds every refused row of the batch in one transaction.
 *
 * <p><b>Fencing.</b> On assignment an instance claims its partitions: it bumps each partition's
 * epoch in {@code sink_offsets} and seeks to the stored offset. Every batch transaction first locks
 * its partitions' rows ({@code FOR UPDATE}) and writes a partition only if the epoch is still the
 * one its records were read under, and only records at or after the stored offset. An instance
 * that lost its partitions while it held a batch (a zombie past {@code max.poll.interval.ms})
 * therefore writes nothing of it: the new owner's claim bumped the epoch, or waits for the lock
 * until the zombie's transaction is over and then reads its offsets. Records fetched before a claim
 * are never written under it (a batch the error handler retries remembers the claims it was first
 * seen under), so what an instance writes of a partition always continues exactly from the stored
 * offset. A partition whose claim failed (PostgreSQL down during the rebalance) or that was fenced
 * is claimed again after the next successful poll, or when the container is idle.
 */
public final class AggregateSink implements BatchAcknowledgingConsumerAwareMessageListener<byte[], byte[]>,
        ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(AggregateSink.class);

    /** How long a claim waits for a batch transaction of another instance that holds the partition's row. */
    static final long CLAIM_LOCK_TIMEOUT_MS = 5_000;

    private final Map<String, TableWriter<?>> writers = new LinkedHashMap<>();
    private final Topics topics;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final PartitionClaims claims;
    private final DeadLetterOutbox outbox;
    private final DeadLetterRelay relay;
    private final SinkProperties properties;
    private final BatchHook hook;
    private final String owner;

    private final Counter rowsWritten;
    private final Map<DeadLetterReason, Counter> deadLettered = new EnumMap<>(DeadLetterReason.class);
    private final Counter fencedBatches;
    private final Timer batchTimer;

    /** Partitions this instance holds a claim on, with the claim's epoch. */
    private final Map<TopicPartition, Long> epochs = new ConcurrentHashMap<>();
    /** The next offset this instance last read or wrote for a claimed partition. */
    private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
    /** When each claimed partition was claimed or last committed, as {@link System#nanoTime()}. */
    private final Map<TopicPartition, Long> progressNanos = new ConcurrentHashMap<>();
    /** Partitions Kafka assigned to this instance, claimed or not. */
    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
    /** Per consumer thread: the batch in hand and the claims it was first seen under. */
    private final ThreadLocal<Seen> seen = new ThreadLocal<>();
    private volatile long lastCommitNanos = System.nanoTime();

    private record Seen(ConsumerRecord<?, ?> first, Map<TopicPartition, Long> epochs, Set<TopicPartition> partitions) {
    }

    /** One record of a batch, decoded, or the letter it becomes. */
    private record Item(ConsumerRecord<byte[], byte[]> record, TableWriter<?> writer, Object value,
            PendingLetter letter) {

        long offset() {
            return record.offset();
        }
    }

    /** What one batch transaction did. */
    private record Written(int rows, List<PendingLetter> letters, Map<TopicPartition, Long> next,
            Set<TopicPartition> fenced) {
    }

    /** Thrown inside the optimistic transaction when PostgreSQL refuses a row: write again, carefully. */
    private static final class RowRefused extends RuntimeException {
        RowRefused(RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** The outbox is full (dead-letter topics unreachable for long): letters wait rather than grow it. */
    static final class DeadLetterBacklogFull extends RuntimeException {
        DeadLetterBacklogFull(long backlog, int more, int max) {
            super("dead-letter backlog " + backlog + " + " + more + " would exceed " + max
                    + " (dead-letter topics unreachable?); the batch waits for the relay");
        }
    }

    public AggregateSink(SinkProperties properties, Topics topics, List<TableWriter<?>> tableWriters,
            JdbcTemplate jdbc, TransactionTemplate transactions, DeadLetterOutbox outbox, DeadLetterRelay relay,
            BatchHook hook, MeterRegistry meters) {
        this.properties = properties;
        this.topics = topics;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.claims = new PartitionClaims(jdbc);
        this.outbox = outbox;
        this.relay = relay;
        this.hook = hook == null ? partitions -> { } : hook;
        this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
        tableWriters.forEach(writer -> writers.put(writer.topic().name(), writer));
        this.rowsWritten = Counter.builder("jetty.sink.records.written")
                .description("Records written to PostgreSQL").register(meters);
        for (DeadLetterReason reason : List.of(DeadLetterReason.UNDECODABLE, DeadLetterReason.UNKNOWN_SCHEMA,
                DeadLetterReason.INVARIANT_VIOLATION, DeadLetterReason.DATABASE_REJECTED,
                DeadLetterReason.PROCESSING_ERROR)) {
            deadLettered.put(reason, Counter.builder("jetty.sink.records.dead.lettered").tag("reason", reason.name())
                    .description("Records the sink turned into dead letters (committed to sink_dead_letters)")
                    .register(meters));
        }
        this.fencedBatches = Counter.builder("jetty.sink.batches.fenced")
                .description("Batches (partitions) not written because another instance had claimed the partition")
                .register(meters);
        this.batchTimer = Timer.builder("jetty.sink.batch.duration")
                .description("Time to write one batch and its offsets in one transaction").register(meters);
        Gauge.builder("jetty.sink.partitions.held", epochs, Map::size)
                .description("Partitions this instance has claimed and writes").register(meters);
        Gauge.builder("jetty.sink.last.commit.age", this, sink -> sink.secondsSinceLastCommit())
                .baseUnit("seconds")
                .description("Seconds since this instance last committed a batch (or started)").register(meters);
    }

    /** The topics this sink reads. */
    public Collection<String> topicNames() {
        return List.copyOf(writers.keySet());
    }

    /** Partitions claimed by this instance. */
    public Set<TopicPartition> claimedPartitions() {
        return Set.copyOf(epochs.keySet());
    }

    /** Partitions assigned to this instance by the group, claimed or not. */
    public Set<TopicPartition> assignedPartitions() {
        return Set.copyOf(assigned);
    }

    /** Seconds since the last committed batch or offset advance (since start, before the first). */
    public double secondsSinceLastCommit() {
        return (System.nanoTime() - lastCommitNanos) / 1e9;
    }

    /** When each claimed partition was claimed or last committed, as {@link System#nanoTime()}. */
    public Map<TopicPartition, Long> progressNanos() {
        return Map.copyOf(progressNanos);
    }

    // ---------------------------------------------------------------- assignment (ConsumerSeekAware)

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> positions, ConsumerSeekCallback callback) {
        assigned.addAll(positions.keySet());
        positions.keySet().forEach(epochs::remove);
        try {
            claim(positions.keySet()).forEach((partition, row) -> {
                if (row.nextOffset() == null) {
                    callback.seekToBeginning(partition.topic(), partition.partition());
                } else if (!row.nextOffset().equals(positions.get(partition))) {
                    callback.seek(partition.topic(), partition.partition(), row.nextOffset());
                }
            });
        } catch (RuntimeException e) {
            log.warn("cannot claim {} now ({}); their records wait until a claim succeeds", positions.keySet(),
                    Failures.classify(e).description());
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> {
            epochs.remove(partition);
            committed.remove(partition);
            progressNanos.remove(partition);
            assigned.remove(partition);
        });
    }

    /**
     * Called on the consumer thread when no records came for a while: claims what could not be
     * claimed on assignment, and moves stored offsets over what the consumer passed without records
     * (transaction markers after the last record), so that the lag of an idle sink is zero.
     */
    @Override
    public void onIdleContainer(Map<TopicPartition, Long> positions, ConsumerSeekCallback callback) {
        Set<TopicPartition> unclaimed = new HashSet<>(positions.keySet());
        unclaimed.removeAll(epochs.keySet());
        try {
            if (!unclaimed.isEmpty()) {
                claim(unclaimed).forEach((partition, row) -> {
                    if (row.nextOffset() == null) {
                        callback.seekToBeginning(partition.topic(), partition.partition());
                    } else {
                        callback.seek(partition.topic(), partition.partition(), row.nextOffset());
                    }
                });
            }
            Map<TopicPartition, Long> ahead = new HashMap<>();
            positions.forEach((partition, position) -> {
                Long known = committed.get(partition);
                if (!unclaimed.contains(partition) && epochs.containsKey(partition) && position != null
                        && (known == null || position > known)) {
                    ahead.put(partition, position);
                }
            });
            if (!ahead.isEmpty()) {
                advanceIdle(ahead);
            }
        } catch (RuntimeException e) {
            log.debug("idle housekeeping failed: {}", e.toString());
        }
    }

    private void advanceIdle(Map<TopicPartition, Long> positions) {
        Map<TopicPartition, Long> next = transactions.execute(status -> {
            Map<TopicPartition, PartitionClaims.Row> rows = claims.lock(positions.keySet());
            Map<TopicPartition, Long> moved = new HashMap<>();
            positions.forEach((partition, position) -> {
                PartitionClaims.Row row = rows.get(partition);
                Long mine = epochs.get(partition);
                if (row != null && mine != null && row.epoch() == mine
                        && (row.nextOffset() == null || row.nextOffset() < position)) {
                    moved.put(partition, position);
                }
            });
            claims.advance(moved);
            return moved;
        });
        if (next != null && !next.isEmpty()) {
            long now = System.nanoTime();
            committed.putAll(next);
            next.keySet().forEach(partition -> progressNanos.put(partition, now));
            lastCommitNanos = now;
        }
    }

    private Map<TopicPartition, PartitionClaims.Row> claim(Collection<TopicPartition> partitions) {
        Map<TopicPartition, PartitionClaims.Row> rows =
                transactions.execute(status -> claims.claim(partitions, owner, CLAIM_LOCK_TIMEOUT_MS));
        long now = System.nanoTime();
        rows.forEach((partition, row) -> {
            epochs.put(partition, row.epoch());
            progressNanos.put(partition, now);
            if (row.nextOffset() == null) {
                committed.remove(partition);
            } else {
                committed.put(partition, row.nextOffset());
            }
        });
        log.info("claimed {} partition(s): {}", rows.size(), rows.entrySet().stream()
                .map(e -> e.getKey() + " epoch " + e.getValue().epoch() + " from " + e.getValue().nextOffset())
                .collect(Collectors.joining(", ")));
        return rows;
    }

    // ---------------------------------------------------------------- batches

    @Override
    public void onMessage(List<ConsumerRecord<byte[], byte[]>> records, Acknowledgment ack, Consumer<?, ?> consumer) {
        Set<TopicPartition> fencedNow = Set.of();
        boolean complete = true;
        if (!records.isEmpty()) {
            Map<TopicPartition, Long> readUnder = claimsFirstSeenUnder(records);
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> mine = new LinkedHashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                Long epoch = readUnder.get(partition);
                if (epoch != null && epoch.equals(epochs.get(partition))) {
                    mine.computeIfAbsent(partition, p -> new ArrayList<>()).add(record);
                } else {
                    complete = false;
                }
            }
            if (!mine.isEmpty()) {
                hook.beforeTransaction(Set.copyOf(mine.keySet()));
                Map<TopicPartition, Long> positions = positions(consumer, consumer.assignment());
                Map<TopicPartition, List<Item>> batch = decode(mine);
                passedWithoutRecords(positions).forEach(partition -> batch.put(partition, List.of()));
                Written written = write(batch, positions);
                fencedNow = written.fenced();
                complete &= fencedNow.isEmpty();
            }
        }
        if (complete) {
            ack.acknowledge();
        }
        claimUnclaimed(consumer, fencedNow);
    }

    /** The claims (epochs) under which this batch was first handed to us; a retried batch keeps them. */
    private Map<TopicPartition, Long> claimsFirstSeenUnder(List<ConsumerRecord<byte[], byte[]>> records) {
        Seen current = seen.get();
        if (current == null || current.first() != records.get(0)) {
            Map<TopicPartition, Long> snapshot = new HashMap<>();
            Set<TopicPartition> partitions = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                partitions.add(partition);
                Long epoch = epochs.get(partition);
                if (epoch != null) {
                    snapshot.putIfAbsent(partition, epoch);
                }
            }
            current = new Seen(records.get(0), snapshot, partitions);
            seen.set(current);
        }
        return current.epochs();
    }

    /**
     * Claimed partitions without records in this batch whose position moved past the stored offset:
     * the consumer skipped a transaction marker after their last record. Their offsets move with the
     * batch, so an idle partition of a busy sink shows no lag.
     */
    private List<TopicPartition> passedWithoutRecords(Map<TopicPartition, Long> positions) {
        List<TopicPartition> passed = new ArrayList<>();
        positions.forEach((partition, position) -> {
            Long known = committed.get(partition);
            if (epochs.containsKey(partition) && !seenIn(partition) && (known == null ? position > 0 : position > known)) {
                passed.add(partition);
            }
        });
        return passed;
    }

    private boolean seenIn(TopicPartition partition) {
        Seen current = seen.get();
        return current != null && current.partitions().contains(partition);
    }

    /** After a successful poll: claim assigned partitions that are not claimed (not those fenced just now). */
    private void claimUnclaimed(Consumer<?, ?> consumer, Set<TopicPartition> fencedNow) {
        Set<TopicPartition> unclaimed = new HashSet<>(consumer.assignment());
        unclaimed.removeAll(epochs.keySet());
        unclaimed.removeAll(fencedNow);
        if (unclaimed.isEmpty()) {
            return;
        }
        claim(unclaimed).forEach((partition, row) -> {
            if (row.nextOffset() == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, row.nextOffset());
            }
        });
    }

    private static Map<TopicPartition, Long> positions(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition partition : partitions) {
            try {
                positions.put(partition, consumer.position(partition, Duration.ZERO));
            } catch (RuntimeException e) {
                // not known without a round trip: the last record's offset + 1 will do
            }
        }
        return positions;
    }

    private Map<TopicPartition, List<Item>> decode(Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> batch) {
        Map<TopicPartition, List<Item>> items = new LinkedHashMap<>();
        batch.forEach((partition, records) -> {
            List<Item> decoded = new ArrayList<>(records.size());
            for (ConsumerRecord<byte[], byte[]> record : records) {
                decoded.add(decode(writers.get(record.topic()), record));
            }
            items.put(partition, decoded);
        });
        return items;
    }

    private Item decode(TableWriter<?> writer, ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return new Item(record, writer, null, null); // a tombstone: the analyst tables keep the history
        }
        try {
            return new Item(record, writer, decodeAndCheck(writer, record), null);
        } catch (TableWriter.InvariantViolation e) {
            return new Item(record, writer, null, letter(writer, record, DeadLetterReason.INVARIANT_VIOLATION, e));
        } catch (AvroSerde.UnknownSchemaException e) {
            return new Item(record, writer, null, letter(writer, record, DeadLetterReason.UNKNOWN_SCHEMA, e));
        } catch (RuntimeException e) {
            return new Item(record, writer, null, letter(writer, record, DeadLetterReason.UNDECODABLE, e));
        }
    }

    private static <V> V decodeAndCheck(TableWriter<V> writer, ConsumerRecord<byte[], byte[]> record) {
        V value = writer.topic().valueSerde().deserializer().deserialize(record.topic(), record.value());
        writer.check(value);
        return value;
    }

    private PendingLetter letter(TableWriter<?> writer, ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason,
            RuntimeException cause) {
        return PendingLetter.of(topics, writer.topic(), record, reason, String.valueOf(cause.getMessage()),
                cause.getClass().getName(), null);
    }

    private Written write(Map<TopicPartition, List<Item>> batch, Map<TopicPartition, Long> positions) {
        long start = System.nanoTime();
        Written written;
        try {
            written = transaction(batch, positions, false);
        } catch (RowRefused refused) {
            log.info("PostgreSQL refused a row of the batch ({}); writing it again record by record where it fails",
                    Failures.classify(refused.getCause()).description());
            written = transaction(batch, positions, true);
        }
        batchTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        if (log.isDebugEnabled()) {
            log.debug("batch: {} record(s) of {} partition(s) in {} ms", batch.values().stream().mapToInt(List::size).sum(),
                    batch.size(), (System.nanoTime() - start) / 1_000_000);
        }
        afterCommit(written);
        return written;
    }

    private void afterCommit(Written written) {
        if (!written.next().isEmpty()) {
            long now = System.nanoTime();
            lastCommitNanos = now;
            written.next().keySet().forEach(partition -> progressNanos.put(partition, now));
        }
        committed.putAll(written.next());
        rowsWritten.increment(written.rows());
        for (PendingLetter letter : written.letters()) {
            deadLettered.getOrDefault(letter.reason(), deadLettered.get(DeadLetterReason.PROCESSING_ERROR)).increment();
        }
        if (!written.letters().isEmpty()) {
            relay.committed(written.letters().size());
            log.warn("dead-lettered {} record(s): {}", written.letters().size(), written.letters().stream().limit(5)
                    .map(l -> l.sourceTopic() + "-" + l.sourcePartition() + "@" + l.sourceOffset() + " " + l.reason()
                            + (l.sqlState() == null ? "" : " " + l.sqlState()) + ": " + l.description())
                    .collect(Collectors.joining("; ")));
        }
        for (TopicPartition partition : written.fenced()) {
            fencedBatches.increment();
            epochs.remove(partition);
            committed.remove(partition);
            progressNanos.remove(partition);
            log.warn("{} was claimed by another instance: this batch of it is not written (fenced)", partition);
        }
    }

    /**
     * One transaction: lock the partitions' rows, leave out fenced partitions and records before the
     * stored offsets, write every table, insert the letters, advance the offsets. Optimistic: one
     * statement per table, and a refused row aborts it ({@link RowRefused}); careful: each table
     * under a savepoint, bisected where refused.
     */
    private Written transaction(Map<TopicPartition, List<Item>> batch, Map<TopicPartition, Long> positions,
            boolean careful) {
        return transactions.execute(status -> {
            Map<TopicPartition, PartitionClaims.Row> rows = claims.lock(batch.keySet());
            Set<TopicPartition> fenced = new HashSet<>();
            Map<TopicPartition, Long> next = new HashMap<>();
            Map<TableWriter<?>, List<Item>> toWrite = new LinkedHashMap<>();
            writers.values().forEach(writer -> toWrite.put(writer, new ArrayList<>()));
            List<PendingLetter> letters = new ArrayList<>();
            batch.forEach((partition, items) -> {
                PartitionClaims.Row row = rows.get(partition);
                Long mine = epochs.get(partition);
                if (row == null || mine == null || row.epoch() != mine) {
                    fenced.add(partition);
                    return;
                }
                long from = row.nextOffset() == null ? Long.MIN_VALUE : row.nextOffset();
                long end = from;
                for (Item item : items) {
                    end = Math.max(end, item.offset() + 1);
                    if (item.offset() < from) {
                        continue; // written before: a retried batch whose commit went through, or a re-read
                    }
                    if (item.letter() != null) {
                        letters.add(item.letter());
                    } else if (item.value() != null) {
                        toWrite.get(item.writer()).add(item);
                    }
                }
                Long position = positions.get(partition);
                if (position != null) {
                    next.put(partition, Math.max(end, position));
                } else if (end != Long.MIN_VALUE) {
                    next.put(partition, end);
                }
            });
            int count = 0;
            for (Map.Entry<TableWriter<?>, List<Item>> entry : toWrite.entrySet()) {
                List<Item> items = entry.getValue();
                if (items.isEmpty()) {
                    continue;
                }
                if (careful) {
                    List<Bisect.Rejected<Item>> rejected =
                            Bisect.write(items, part -> writeItems(entry.getKey(), part), savepoints(status));
                    rejected.forEach(r -> letters.add(rejectedLetter(r.item(), r.failure())));
                    count += items.size() - rejected.size();
                } else {
                    try {
                        writeItems(entry.getKey(), items);
                    } catch (RuntimeException e) {
                        if (Failures.classify(e).rejected()) {
                            throw new RowRefused(e);
                        }
                        throw e;
                    }
                    count += items.size();
                }
            }
            if (!letters.isEmpty()) {
                long backlog = relay.backlog();
                int max = properties.deadLetters().maxBacklog();
                if (backlog + letters.size() > max) {
                    throw new DeadLetterBacklogFull(backlog, letters.size(), max);
                }
                letters.sort(Comparator.comparing(PendingLetter::sourceTopic)
                        .thenComparingInt(PendingLetter::sourcePartition).thenComparingLong(PendingLetter::sourceOffset));
                outbox.insert(letters);
            }
            claims.advance(next);
            return new Written(count, letters, next, fenced);
        });
    }

    private PendingLetter rejectedLetter(Item item, Failures.Failure failure) {
        return PendingLetter.of(topics, item.writer().topic(), item.record(), failure.reason(), failure.description(),
                failure.exceptionClass(), failure.sqlState());
    }

    @SuppressWarnings("unchecked")
    private <V> void writeItems(TableWriter<V> writer, List<Item> items) {
        writer.write(jdbc, items.stream().map(item -> (V) item.value()).toList());
    }

    private static Bisect.Savepoints savepoints(TransactionStatus status) {
        return new Bisect.Savepoints() {
            @Override
            public Object create() {
                return status.createSavepoint();
            }

            @Override
            public void rollbackTo(Object savepoint) {
                status.rollbackToSavepoint(savepoint);
            }

            @Override
            public void release(Object savepoint) {
                status.releaseSavepoint(savepoint);
            }
        };
    }
}
