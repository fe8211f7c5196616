package io.jettyspeed.tools.records;

import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.ReleasedSchemas;
import io.jettyspeed.schemas.SchemaCatalog;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes a record value the way the services do. The value type comes from the topic catalogue
 * (whatever the prefix: {@code acme.jetty.chunk-events.v1} is a chunk-events topic); for topics
 * outside it (Kafka Streams repartition and changelog topics) from the fingerprint in the
 * single-object header, looked up among every current and released schema. Either way the writer's
 * schema is resolved by fingerprint through {@link AvroSerde}.
 */
public final class RecordDecoder {

    private static final byte[] MAGIC = {(byte) 0xC3, (byte) 0x01};

    private final List<Topic<?, ?>> catalogue;
    private final Map<Long, Class<? extends SpecificRecord>> byFingerprint = new HashMap<>();

    public RecordDecoder() {
        List<Topic<?, ?>> topics = new ArrayList<>(Topics.standard().all());
        // Longest names first, so "x.v1-dlt" is not taken for "x.v1".
        topics.sort(Comparator.comparingInt((Topic<?, ?> topic) -> topic.name().length()).reversed());
        this.catalogue = List.copyOf(topics);
        for (Schema current : SchemaCatalog.current()) {
            @SuppressWarnings("unchecked")
            Class<? extends SpecificRecord> type = (Class<? extends SpecificRecord>) SpecificData.get().getClass(current);
            byFingerprint.put(SchemaNormalization.parsingFingerprint64(current), type);
            for (Schema released : ReleasedSchemas.of(current.getFullName())) {
                byFingerprint.put(SchemaNormalization.parsingFingerprint64(released), type);
            }
        }
    }

    /** The catalogue topic this name is, with any prefix; empty for topics outside the catalogue. */
    public Optional<Topic<?, ?>> catalogueTopic(String name) {
        for (Topic<?, ?> topic : catalogue) {
            if (name.endsWith(topic.name())) {
                String prefix = name.substring(0, name.length() - topic.name().length());
                return Topics.of(prefix, topic.partitions()).all().stream()
                        .filter(candidate -> candidate.name().equals(name)).findFirst();
            }
        }
        return Optional.empty();
    }

    /** The value type of a catalogue topic, for saying what an undecodable value should have been. */
    public Optional<String> expectedType(String topic) {
        return catalogueTopic(topic).map(t -> t.valueSerde()).filter(AvroSerde.class::isInstance)
                .map(serde -> ((AvroSerde<?>) serde).type().getSimpleName());
    }

    public Decoded decode(String topic, byte[] value) {
        if (value == null) {
            return Decoded.deleted();
        }
        Optional<Topic<?, ?>> known = catalogueTopic(topic);
        if (known.isPresent() && known.get().valueSerde() instanceof AvroSerde<?> serde) {
            return decodeAs(serde, value);
        }
        if (value.length < 10 || value[0] != MAGIC[0] || value[1] != MAGIC[1]) {
            return Decoded.failed(null, "not an Avro single-object encoded value");
        }
        long fingerprint = ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Class<? extends SpecificRecord> type = byFingerprint.get(fingerprint);
        if (type == null) {
            return Decoded.failed(null, "unknown writer schema fingerprint " + Long.toHexString(fingerprint));
        }
        return decodeAs(AvroSerde.of(type), value);
    }

    private static Decoded decodeAs(AvroSerde<?> serde, byte[] value) {
        String type = serde.type().getSimpleName();
        try {
            return Decoded.of(type, serde.decode(value));
        } catch (RuntimeException e) {
            return Decoded.failed(type, e.getMessage());
        }
    }

    /**
     * A decoded value: its type and record, or a tombstone, or why it could not be decoded (with the
     * type it should have had, when known).
     */
    public record Decoded(String type, SpecificRecord record, boolean tombstone, String error) {

        static Decoded of(String type, SpecificRecord record) {
            return new Decoded(type, record, false, null);
        }

        static Decoded deleted() {
            return new Decoded(null, null, true, null);
        }

        static Decoded failed(String type, String error) {
            return new Decoded(type, null, false, error);
        }

        public boolean ok() {
            return record != null;
        }
    }
}
