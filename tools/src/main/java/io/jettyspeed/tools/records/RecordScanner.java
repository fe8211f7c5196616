package io.jettyspeed.tools.records;

import io.jettyspeed.tools.KafkaAccess;
import io.jettyspeed.tools.ToolException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads every partition of one topic, committed records only, from a start position either up to
 * the end it had when the scan began, or on and on ({@code follow}). No consumer group: nothing is
 * committed and nobody's offsets move.
 */
public final class RecordScanner implements AutoCloseable {

    /** Where to begin: the beginning, the end, or the first record at or after a time. */
    public record Start(String kind, Instant time) {
        public static final Start BEGINNING = new Start("beginning", null);
        public static final Start END = new Start("end", null);

        public static Start at(Instant time) {
            return new Start("time", time);
        }

        public static Start parse(String value, Instant now) {
            return switch (value) {
                case "beginning" -> BEGINNING;
                case "end" -> END;
                default -> at(io.jettyspeed.tools.Args.time("--from", value, now));
            };
        }
    }

    private final KafkaAccess kafka;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;

    public RecordScanner(KafkaAccess kafka, String topic) {
        this.kafka = kafka;
        int count = kafka.describe(topic).partitions().size();
        this.partitions = java.util.stream.IntStream.range(0, count).mapToObj(p -> new TopicPartition(topic, p)).toList();
        this.consumer = kafka.consumer();
        consumer.assign(partitions);
    }

    public List<TopicPartition> partitions() {
        return partitions;
    }

    /**
     * Calls {@code handler} for each record, in per-partition order, until it returns false, the
     * scan reaches the end offsets taken at its start (unless {@code follow}), or the thread is interrupted.
     */
    public void scan(Start start, boolean follow, Predicate<ConsumerRecord<byte[], byte[]>> handler) {
        try {
            seek(start);
            Map<TopicPartition, Long> end = follow ? null : consumer.endOffsets(partitions);
            while (!Thread.currentThread().isInterrupted()) {
                if (end != null && caughtUp(end)) {
                    return;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!handler.test(record)) {
                        return;
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw kafka.unreachable();
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
        } catch (KafkaException e) {
            throw new ToolException("cannot read " + partitions.get(0).topic() + " at " + kafka.bootstrapServers() + ": "
                    + e.getMessage());
        }
    }

    /** The first offset at or after {@code time} in each partition (the end where there is none). */
    public Map<TopicPartition, Long> offsetsAt(Instant time) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(partition -> query.put(partition, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp at = found.get(partition);
            offsets.put(partition, at == null ? end.get(partition) : at.offset());
        }
        return offsets;
    }

    private void seek(Start start) {
        switch (start.kind()) {
            case "beginning" -> consumer.seekToBeginning(partitions);
            case "end" -> consumer.seekToEnd(partitions);
            default -> offsetsAt(start.time()).forEach(consumer::seek);
        }
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
