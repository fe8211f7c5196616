package io.jettyspeed.schemas;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
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
     * One per thread, reused: the buffer the datum is written into and copied out of once (Avro's
     * {@code encode(datum)} copies it into a buffer and we copied that again), and Avro's buffered
     * encoder over it. A thread that encoded something large does not keep the large buffer.
     */
    private static final ThreadLocal<Encoding> ENCODINGS = ThreadLocal.withInitial(Encoding::new);
    private static final int MAX_KEPT_BUFFER = 64 * 1024;

    /**
     * One per thread, reused over each record's bytes. Avro's {@code BinaryMessageDecoder} reads the datum
     * through a {@code DirectBinaryDecoder} over a {@code ByteArrayInputStream}, one synchronized
     * {@code read()} per byte; its varint reads were the processors' top frame in row 3's JFR.
     */
    private static final ThreadLocal<BinaryDecoder> DECODERS = new ThreadLocal<>();

    /** Single-object encoding: marker {@code C3 01}, the writer schema's 64-bit fingerprint (little-endian), the datum. */
    private static final int HEADER_BYTES = 10;

    private final Class<T> type;
    /** Marker and the current schema's fingerprint: the first {@value #HEADER_BYTES} bytes of every record we write. */
    private final byte[] header;
    private final SpecificDatumWriter<T> writer;
    /** A reader for each writer schema we can read, by its fingerprint: the current one and every released one. */
    private final java.util.Map<Long, DatumReader<T>> readers;

    private AvroSerde(Class<T> type) {
        this(type, ReleasedSchemas.of(SpecificData.getForClass(type).getSchema(type).getFullName()));
    }

    AvroSerde(Class<T> type, java.util.List<Schema> releasedVersions) {
        this.type = type;
        SpecificData model = SpecificData.getForClass(type);
        Schema current = model.getSchema(type);
        this.header = header(SchemaNormalization.parsingFingerprint64(current));
        this.writer = new NullableUnionWriter<>(current, model);
        java.util.Map<Long, DatumReader<T>> byFingerprint = new java.util.HashMap<>();
        for (Schema writer : releasedVersions) {
            byFingerprint.put(SchemaNormalization.parsingFingerprint64(writer), new SpecificDatumReader<>(writer, current, model));
        }
        byFingerprint.put(SchemaNormalization.parsingFingerprint64(current), new SpecificDatumReader<>(current, current, model));
        this.readers = java.util.Map.copyOf(byFingerprint);
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
        Encoding encoding = ENCODINGS.get();
        EncodingBuffer out = encoding.out;
        out.reset();
        boolean written = false;
        try {
            out.write(header);
            // Buffered: Avro's direct encoder made one synchronized write to the stream per field
            // (a record encoded 40 % faster buffered).
            encoding.encoder = EncoderFactory.get().binaryEncoder(out, encoding.encoder);
            writer.write(record, encoding.encoder);
            encoding.encoder.flush();
            byte[] bytes = out.toByteArray();
            written = true;
            return bytes;
        } catch (java.io.IOException | AvroRuntimeException | NullPointerException | ClassCastException e) {
            throw new SerializationException("cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
        } finally {
            // After a failure, whatever its type, the encoder may hold part of the record, which it
            // would flush into the next one.
            if (!written || out.capacity() > MAX_KEPT_BUFFER) {
                ENCODINGS.remove();
            }
        }
    }

    public T decode(byte[] bytes) {
        try {
            DatumReader<T> reader = readers.get(writerFingerprint(bytes));
            if (reader == null) {
                throw new MissingSchemaException("Cannot resolve schema for fingerprint: " + writerFingerprint(bytes));
            }
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES,
                    DECODERS.get());
            DECODERS.set(decoder);
            return reader.read(null, decoder);
        } catch (MissingSchemaException e) {
            throw new UnknownSchemaException(type, e);
        } catch (BadHeaderException e) {
            throw new SerializationException("not an Avro single-object " + type.getSimpleName() + ": " + e.getMessage(), e);
        } catch (java.io.IOException | RuntimeException e) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + ": " + e, e);
        }
    }

    private static byte[] header(long fingerprint) {
        byte[] header = new byte[HEADER_BYTES];
        header[0] = (byte) 0xC3;
        header[1] = (byte) 0x01;
        for (int i = 2; i < HEADER_BYTES; i++) {
            header[i] = (byte) fingerprint;
            fingerprint >>>= 8;
        }
        return header;
    }

    private static long writerFingerprint(byte[] bytes) {
        if (bytes.length < HEADER_BYTES) {
            throw new BadHeaderException("Not enough header bytes");
        }
        if (bytes[0] != (byte) 0xC3 || bytes[1] != (byte) 0x01) {
            throw new BadHeaderException(String.format("Unrecognized header bytes: 0x%02X 0x%02X", bytes[0], bytes[1]));
        }
        long fingerprint = 0;
        for (int i = HEADER_BYTES - 1; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (bytes[i] & 0xFF);
        }
        return fingerprint;
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

    /**
     * Every union of our schemas is {@code ["null", T]}; Avro resolves a union by looking the datum's
     * type name up in a map, for every optional field of every record (7 % of a 100-event batch's
     * request samples in the gateway's JFR, 5 % of the processors'). Any other union goes to Avro.
     */
    static final class NullableUnionWriter<T> extends SpecificDatumWriter<T> {

        NullableUnionWriter(Schema schema, SpecificData model) {
            super(schema, model);
        }

        @Override
        protected int resolveUnion(Schema union, Object datum) {
            java.util.List<Schema> branches = union.getTypes();
            if (branches.size() == 2) {
                int nullBranch = branches.get(0).getType() == Schema.Type.NULL ? 0
                        : branches.get(1).getType() == Schema.Type.NULL ? 1 : -1;
                if (nullBranch >= 0) {
                    return datum == null ? nullBranch : 1 - nullBranch;
                }
            }
            return super.resolveUnion(union, datum);
        }
    }

    private static final class Encoding {
        final EncodingBuffer out = new EncodingBuffer();
        BinaryEncoder encoder;
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
