package io.jettyspeed.schemas;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for a generated Avro class using Avro's single-object encoding: a two-byte marker,
 * the 8-byte fingerprint of the writer's schema, then the binary datum. No registry server: the
 * reader knows the current schema and every released version ({@link ReleasedSchemas}), and
 * resolves the writer's schema by fingerprint.
 *
 * <p>Bytes that are not a decodable record raise {@link SerializationException}, which Kafka
 * Streams and the consumers route to a dead-letter topic.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    static {
        TrustedPackages.trustOurPackage();
    }

    private static final ConcurrentHashMap<Class<?>, AvroSerde<?>> CACHE = new ConcurrentHashMap<>();

    /**
     * One per thread, reused: the datum is written into it and copied out once (Avro's
     * {@code encode(datum)} copies it into a buffer and we copied that again). A thread that encoded
     * something large does not keep the large buffer.
     */
    private static final ThreadLocal<EncodingBuffer> ENCODING_BUFFERS = ThreadLocal.withInitial(EncodingBuffer::new);
    private static final int MAX_KEPT_BUFFER = 64 * 1024;

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroSerde(Class<T> type) {
        this(type, ReleasedSchemas.of(SpecificData.getForClass(type).getSchema(type).getFullName()));
    }

    AvroSerde(Class<T> type, java.util.List<Schema> releasedVersions) {
        this.type = type;
        SpecificData model = SpecificData.getForClass(type);
        Schema current = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, current);
        SchemaStore.Cache released = new SchemaStore.Cache();
        releasedVersions.forEach(released::addSchema);
        this.decoder = new BinaryMessageDecoder<>(model, current, released);
    }

    /** The serde of a generated class; thread-safe and shared. */
    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return (AvroSerde<T>) CACHE.computeIfAbsent(type, key -> new AvroSerde<>(type));
    }

    public Class<T> type() {
        return type;
    }

    public byte[] encode(T record) {
        EncodingBuffer out = ENCODING_BUFFERS.get();
        out.reset();
        try {
            encoder.encode(record, out);
            return out.toByteArray();
        } catch (java.io.IOException | AvroRuntimeException | NullPointerException | ClassCastException e) {
            throw new SerializationException("cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
        } finally {
            if (out.capacity() > MAX_KEPT_BUFFER) {
                ENCODING_BUFFERS.remove();
            }
        }
    }

    public T decode(byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (MissingSchemaException e) {
            throw new UnknownSchemaException(type, e);
        } catch (BadHeaderException e) {
            throw new SerializationException("not an Avro single-object " + type.getSimpleName() + ": " + e.getMessage(), e);
        } catch (java.io.IOException | RuntimeException e) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + ": " + e, e);
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : encode(data);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : decode(data);
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // Nothing to configure: the schemas come with the class.
    }

    @Override
    public void close() {
        // Shared instance: nothing to release.
    }

    private static final class EncodingBuffer extends ByteArrayOutputStream {
        EncodingBuffer() {
            super(512);
        }

        int capacity() {
            return buf.length;
        }
    }

    /** The writer's schema fingerprint is neither the current schema nor a released version. */
    public static final class UnknownSchemaException extends SerializationException {
        UnknownSchemaException(Class<?> type, MissingSchemaException cause) {
            super("unknown writer schema for " + type.getSimpleName() + ": " + cause.getMessage(), cause);
        }
    }
}
