package io.jettyspeed.processors.errors;

import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterHeaders;
import io.jettyspeed.schemas.DeadLetterReason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds {@link DeadLetter}s with the coordinates of the record being processed, and routes a
 * stream of them to {@code <source topic>-dlt}.
 *
 * <p>A dead letter is bounded whatever the record it carries: the raw key is kept up to
 * {@link #MAX_RAW_KEY_BYTES}, the raw value up to {@link #MAX_RAW_VALUE_BYTES} and the description
 * up to {@link #MAX_DESCRIPTION_CHARS} (the description says when something was cut). So a dead
 * letter is at most about 536 KB and always fits a topic with Kafka's default 1 MB limit, even for a
 * source record of that size: a dead letter that could not be written would stop the stage.
 */
public final class DeadLetters {

    public static final int MAX_RAW_KEY_BYTES = 4 * 1024;
    public static final int MAX_RAW_VALUE_BYTES = 512 * 1024;
    public static final int MAX_DESCRIPTION_CHARS = 2000;

    private DeadLetters() {
    }

    /** A dead letter for the record a processor is handling now. */
    public static DeadLetter of(ProcessorContext<?, ?> context, String processor, DeadLetterReason reason,
            String description, Throwable cause, byte[] key, byte[] value, Headers headers) {
        Optional<RecordMetadata> metadata = context.recordMetadata();
        return of(metadata.map(RecordMetadata::topic).orElse("unknown"), metadata.map(RecordMetadata::partition).orElse(-1),
                metadata.map(RecordMetadata::offset).orElse(-1L), processor, reason, description, cause, key, value,
                headers, Instant.ofEpochMilli(context.currentSystemTimeMs()));
    }

    /** A dead letter with explicit coordinates (the exception handlers, which get them from Kafka Streams). */
    public static DeadLetter of(String topic, int partition, long offset, String processor, DeadLetterReason reason,
            String description, Throwable cause, byte[] key, byte[] value, Headers headers, Instant failedAt) {
        String text = description == null || description.isBlank() ? reason.name() : description;
        if (key != null && key.length > MAX_RAW_KEY_BYTES) {
            text += "; key truncated from " + key.length + " bytes";
            key = Arrays.copyOf(key, MAX_RAW_KEY_BYTES);
        }
        if (value != null && value.length > MAX_RAW_VALUE_BYTES) {
            text += "; value truncated from " + value.length + " bytes";
            value = Arrays.copyOf(value, MAX_RAW_VALUE_BYTES);
        }
        return DeadLetter.newBuilder()
                .setReason(reason)
                .setDescription(Text.truncate(text, MAX_DESCRIPTION_CHARS))
                .setExceptionClass(cause == null ? null : cause.getClass().getName())
                .setSourceTopic(topic == null ? "unknown" : topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setProcessor(processor)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setFailedAt(failedAt)
                .setReplayedFrom(replayedFrom(headers))
                .build();
    }

    /** The coordinates of the dead letter a replayed record came from ({@link DeadLetterHeaders#REPLAYED_FROM}), if any. */
    public static String replayedFrom(Headers headers) {
        if (headers == null) {
            return null;
        }
        Header header = headers.lastHeader(DeadLetterHeaders.REPLAYED_FROM);
        if (header == null || header.value() == null) {
            return null;
        }
        return Text.truncate(new String(header.value(), StandardCharsets.UTF_8), 512);
    }

    public static byte[] utf8(String key) {
        return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes each dead letter to the dead-letter topic of the topic its record came from. */
    public static void route(KStream<?, DeadLetter> deadLetters, String name, OutputGuard guard) {
        deadLetters
                .map((key, letter) -> KeyValue.pair(rawKey(letter), letter), Named.as(name + "-dead-letter-key"))
                .to(new SourceDeadLetterTopic(), Produced.with(Serdes.ByteArray(), guard.values(AvroSerde.of(DeadLetter.class)))
                        .withName(name + "-dead-letters"));
    }

    /** Names the dead-letter topic after the record's source topic; a named class so the topology description is stable. */
    static final class SourceDeadLetterTopic implements org.apache.kafka.streams.processor.TopicNameExtractor<byte[], DeadLetter> {
        @Override
        public String extract(byte[] key, DeadLetter letter, org.apache.kafka.streams.processor.RecordContext context) {
            return letter.getSourceTopic() + "-dlt";
        }

        @Override
        public String toString() {
            return "<source topic>-dlt";
        }
    }

    private static byte[] rawKey(DeadLetter letter) {
        if (letter.getKey() == null) {
            return null;
        }
        ByteBuffer buffer = letter.getKey().duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
