package io.jettyspeed.processors;

import io.jettyspeed.processors.errors.SourceValue;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.ProcessorWrapper;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.WrappedFixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.WrappedProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * A bug on demand, for the poison tests: Kafka Streams' {@code processor.wrapper.class} wraps the
 * four aggregating processors of the real topologies so that each throws for a record (or the Avro
 * record a typed input wraps) whose
 * {@code eventId} or {@code sessionId} is {@value #POISON}, before touching its state. Installed
 * only by tests (through {@code jetty.processors.streams[processor.wrapper.class]} or the topology
 * configuration), never in production.
 */
public final class FaultInjection implements ProcessorWrapper {

    public static final String POISON = "poison";
    static final Set<String> TARGETS = Set.of("upload-sessions", "edge-health", "dedup-index", "user-stats");

    @Override
    public <KIn, VIn, KOut, VOut> WrappedProcessorSupplier<KIn, VIn, KOut, VOut> wrapProcessorSupplier(
            String processorName, ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
        if (!TARGETS.contains(processorName)) {
            return ProcessorWrapper.asWrapped(supplier);
        }
        return ProcessorWrapper.asWrapped(new ProcessorSupplier<>() {
            @Override
            public Processor<KIn, VIn, KOut, VOut> get() {
                Processor<KIn, VIn, KOut, VOut> delegate = supplier.get();
                return new Processor<>() {
                    @Override
                    public void init(ProcessorContext<KOut, VOut> context) {
                        delegate.init(context);
                    }

                    @Override
                    public void process(Record<KIn, VIn> record) {
                        if (poisoned(record.value())) {
                            throw new IllegalStateException("injected fault in " + processorName);
                        }
                        delegate.process(record);
                    }

                    @Override
                    public void close() {
                        delegate.close();
                    }
                };
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return supplier.stores();
            }
        });
    }

    @Override
    public <KIn, VIn, VOut> WrappedFixedKeyProcessorSupplier<KIn, VIn, VOut> wrapFixedKeyProcessorSupplier(
            String processorName, FixedKeyProcessorSupplier<KIn, VIn, VOut> supplier) {
        return ProcessorWrapper.asWrappedFixedKey(supplier);
    }

    private static boolean poisoned(Object value) {
        if (value instanceof SourceValue typed) {
            value = typed.value();
        }
        if (!(value instanceof SpecificRecord record)) {
            return false;
        }
        for (String field : new String[] {"eventId", "sessionId"}) {
            Schema.Field f = record.getSchema().getField(field);
            if (f != null && POISON.equals(String.valueOf(record.get(f.pos())))) {
                return true;
            }
        }
        return false;
    }
}
