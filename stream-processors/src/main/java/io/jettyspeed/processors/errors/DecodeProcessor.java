package io.jettyspeed.processors.errors;

import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The explicit error branch at the entrance of a topology (bakdata's ErrorCapturingValueProcessor):
 * decodes raw bytes and checks invariants and bounds ({@link EntryLimits}); a record that fails
 * becomes a {@link DeadLetter} with the reason and its source coordinates instead of an exception
 * that stops the stream thread.
 *
 * <p>Several topologies read the same topic; only its owner forwards dead letters (so each poison
 * record is dead-lettered once), the others count and drop them.
 */
public final class DecodeProcessor<T extends SpecificRecord> implements Processor<byte[], byte[], String, Decoded<T>> {

    private final AvroSerde<T> serde;
    private final Validator<T> validator;
    private final String processorName;
    private final boolean owner;
    private ProcessorContext<String, Decoded<T>> context;
    private DropCounter dropped;
    private DropCounter tombstones;

    public DecodeProcessor(AvroSerde<T> serde, Validator<T> validator, String processorName, boolean owner) {
        this.serde = serde;
        this.validator = validator;
        this.processorName = processorName;
        this.owner = owner;
    }

    @Override
    public void init(ProcessorContext<String, Decoded<T>> context) {
        this.context = context;
        this.dropped = DropCounter.register(context, processorName, "invalid");
        this.tombstones = DropCounter.register(context, processorName, "tombstone");
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        DeadLetter letter;
        try {
            if (record.value() == null) {
                // A tombstone deletes a key of a compacted topic; there is nothing to apply or to dead-letter.
                tombstones.record();
                return;
            } else {
                T value = serde.decode(record.value());
                Optional<Violation> violation = key == null ? Optional.of(Violation.invariant("missing key"))
                        : validator.violation(key, value, context.currentSystemTimeMs());
                if (violation.isEmpty()) {
                    context.forward(record.withKey(key).withValue(Decoded.ok(value)));
                    return;
                }
                letter = letter(record, violation.get().reason(), violation.get().description(), null);
            }
        } catch (AvroSerde.UnknownSchemaException e) {
            letter = letter(record, DeadLetterReason.UNKNOWN_SCHEMA, e.getMessage(), e);
        } catch (SerializationException e) {
            letter = letter(record, DeadLetterReason.UNDECODABLE, e.getMessage(), e);
        }
        dropped.record();
        if (owner) {
            context.forward(record.withKey(key).withValue(Decoded.failed(letter)));
        }
    }

    private DeadLetter letter(Record<byte[], byte[]> record, DeadLetterReason reason, String description, Throwable cause) {
        return DeadLetters.of(context, processorName, reason, description == null ? reason.name() : description, cause,
                record.key(), record.value(), record.headers());
    }
}
