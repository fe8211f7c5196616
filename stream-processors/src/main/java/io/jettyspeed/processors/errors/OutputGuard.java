package io.jettyspeed.processors.errors;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Refuses an output record that is too large <em>while it is serialized</em>, so that it becomes
 * one dead letter and the transaction goes on.
 *
 * <p>Why not let the producer refuse it: under exactly-once a send that fails (a
 * {@link RecordTooLargeException} from the producer's own size check or from the broker) puts the
 * transactional producer into an abortable error, whatever the production exception handler
 * answers. The commit then fails, the stream thread is replaced, the transaction is aborted and the
 * same input record is processed again — and fails again, for ever. A serializer that throws, on
 * the other hand, reaches {@code ProductionExceptionHandler#handleSerializationException} before
 * anything is sent, and the transaction stays healthy.
 *
 * <p>The limit is {@code jetty.processors.max-record-bytes} (default 1,000,000 bytes, under Kafka's
 * default 1 MiB {@code max.message.bytes} and {@code max.request.size}) or, for a topic whose broker
 * limit turned out smaller, what {@link #learn learned} from a refusal: the production exception
 * handler lowers the topic's limit below the refused size and fails the task; the replay of the
 * input then ends at this guard as one dead letter. Each too-large record costs at most one replay.
 * The aggregates are bounded far below either limit by construction ({@link EntryLimits}); this is
 * the backstop.
 */
public final class OutputGuard {

    public static final int DEFAULT_MAX_RECORD_BYTES = 1_000_000;

    private final int maxRecordBytes;
    private final Map<String, Integer> learned = new ConcurrentHashMap<>();

    public OutputGuard(int maxRecordBytes) {
        if (maxRecordBytes < 1024) {
            throw new IllegalArgumentException("maxRecordBytes must be at least 1024, was " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    public static OutputGuard standard() {
        return new OutputGuard(DEFAULT_MAX_RECORD_BYTES);
    }

    /** Largest serialized value accepted for {@code topic}. */
    public int limit(String topic) {
        return Math.min(maxRecordBytes, learned.getOrDefault(topic, Integer.MAX_VALUE));
    }

    /** The broker or producer refused a record of {@code refusedBytes} for {@code topic}: accept only smaller ones from now on. */
    public void learn(String topic, int refusedBytes) {
        learned.merge(topic, Math.max(0, refusedBytes - 1), Math::min);
    }

    /** {@code serde} whose serializer refuses values larger than the topic's limit. */
    public <T> Serde<T> values(Serde<T> serde) {
        Serializer<T> inner = serde.serializer();
        Serializer<T> guarded = new Serializer<>() {
            @Override
            public byte[] serialize(String topic, T data) {
                return check(topic, inner.serialize(topic, data));
            }

            @Override
            public byte[] serialize(String topic, Headers headers, T data) {
                return check(topic, inner.serialize(topic, headers, data));
            }
        };
        Deserializer<T> deserializer = serde.deserializer();
        return Serdes.serdeFrom(guarded, deserializer);
    }

    private byte[] check(String topic, byte[] bytes) {
        int limit = limit(topic);
        if (bytes != null && bytes.length > limit) {
            throw new RecordTooLargeException("a record of " + bytes.length + " bytes for " + topic
                    + " is larger than its limit of " + limit + " bytes");
        }
        return bytes;
    }
}
