package io.jettyspeed.sink.deadletters;

import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterHeaders;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A dead letter on its way to {@code sink_dead_letters}: the encoded {@link DeadLetter} plus the
 * columns an operator queries it by.
 *
 * @param dltTopic        the dead-letter topic of the source
 * @param sourceTopic     where the refused record came from
 * @param sourcePartition its partition
 * @param sourceOffset    its offset
 * @param reason          why it was refused
 * @param sqlState        the SQLSTATE, for a row PostgreSQL refused
 * @param description     what was wrong
 * @param replayedFrom    the dead letter it was replayed from, if it was
 * @param key             the raw key (the dead-letter record's key)
 * @param value           the encoded {@code DeadLetter} (the dead-letter record's value)
 */
public record PendingLetter(String dltTopic, String sourceTopic, int sourcePartition, long sourceOffset,
        DeadLetterReason reason, String sqlState, String description, String replayedFrom, byte[] key, byte[] value) {

    /** Who refused it, in every letter. */
    public static final String PROCESSOR = "sink-postgres";

    /**
     * Raw key and value larger than this are left out of the letter (and the description says so),
     * so that a letter for a record near Kafka's 1 MiB default limit still fits its topic.
     */
    static final int MAX_RAW_BYTES = 900 * 1024;

    /** A description quotes at most this much (an invariant message may quote client data). */
    static final int MAX_DESCRIPTION = 4_000;

    /** The letter for {@code record} of topic {@code source}. */
    public static PendingLetter of(Topics topics, Topic<?, ?> source, ConsumerRecord<byte[], byte[]> record,
            DeadLetterReason reason, String description, String exceptionClass, String sqlState) {
        Topic<byte[], DeadLetter> dlt = topics.deadLetters(source);
        byte[] key = record.key();
        byte[] value = record.value();
        String text = description == null ? reason.name() : description;
        if (text.length() > MAX_DESCRIPTION) {
            text = text.substring(0, MAX_DESCRIPTION) + "…";
        }
        int raw = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        if (raw > MAX_RAW_BYTES) {
            text = text + " [raw value of " + (value == null ? 0 : value.length)
                    + " bytes left out: too large for a dead letter; read it at the source coordinates]";
            value = null;
        }
        String replayedFrom = replayedFrom(record);
        DeadLetter letter = DeadLetter.newBuilder()
                .setReason(reason)
                .setDescription(text)
                .setExceptionClass(exceptionClass)
                .setSourceTopic(record.topic())
                .setSourcePartition(record.partition())
                .setSourceOffset(record.offset())
                .setProcessor(PROCESSOR)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setFailedAt(Instant.now())
                .setSqlState(sqlState)
                .setReplayedFrom(replayedFrom)
                .build();
        byte[] encoded = dlt.valueSerde().serializer().serialize(dlt.name(), letter);
        return new PendingLetter(dlt.name(), record.topic(), record.partition(), record.offset(), reason, sqlState,
                text, replayedFrom, key, encoded);
    }

    private static String replayedFrom(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(DeadLetterHeaders.REPLAYED_FROM);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
