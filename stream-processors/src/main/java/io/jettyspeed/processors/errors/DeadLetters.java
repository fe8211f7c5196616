package io.jettyspeed.processors.errors;

import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterReason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import io.jettyspeed.schemas.AvroSerde;

/**
 * Builds {@link DeadLetter}s with the coordinates of the record being processed, and routes a
 * stream of them to {@code <source topic>-dlt}.
 */
public final class DeadLetters {

    private DeadLetters() {
    }

    public static DeadLetter of(ProcessorContext<?, ?> context, String processor, DeadLetterReason reason,
            String description, Throwable cause, byte[] key, byte[] value) {
        Optional<RecordMetadata> metadata = context.recordMetadata();
        return DeadLetter.newBuilder()
                .setReason(reason)
                .setDescription(description)
                .setExceptionClass(cause == null ? null : cause.getClass().getName())
                .setSourceTopic(metadata.map(RecordMetadata::topic).orElse("unknown"))
                .setSourcePartition(metadata.map(RecordMetadata::partition).orElse(-1))
                .setSourceOffset(metadata.map(RecordMetadata::offset).orElse(-1L))
                .setProcessor(processor)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setFailedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .build();
    }

    public static byte[] utf8(String key) {
        return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes each dead letter to the dead-letter topic of the topic its record came from. */
    public static void route(KStream<?, DeadLetter> deadLetters, String name) {
        deadLetters
                .map((key, letter) -> KeyValue.pair(rawKey(letter), letter), Named.as(name + "-dead-letter-key"))
                .to(new SourceDeadLetterTopic(),
                        Produced.with(Serdes.ByteArray(), AvroSerde.of(DeadLetter.class)).withName(name + "-dead-letters"));
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
