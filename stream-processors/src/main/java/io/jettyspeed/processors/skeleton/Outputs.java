package io.jettyspeed.processors.skeleton;

import io.jettyspeed.processors.errors.OutputGuard;
import io.jettyspeed.schemas.Topic;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * How a topology takes its processor's outputs apart and writes them: every node named by the caller,
 * so that {@code describe()} stays what it was.
 */
public final class Outputs {

    private Outputs() {
    }

    /** The outputs of one kind (a record of the processor's sealed output type), unwrapped into their value. */
    public static <O, T extends O, V> KStream<String, V> ofKind(KStream<String, O> outputs, Class<T> kind,
            Function<T, V> value, String name, String valueName) {
        return outputs.filter((key, output) -> kind.isInstance(output), Named.as(name))
                .mapValues(output -> value.apply(kind.cast(output)), Named.as(valueName));
    }

    /**
     * Writes the stream to its catalogue topic, the values through the output guard: one too large to
     * produce becomes a dead letter instead of stopping the topology.
     */
    public static <V> void to(KStream<String, V> stream, Topic<String, V> topic, String name, OutputGuard guard) {
        stream.to(topic.name(), Produced.with(Serdes.String(), guard.values(topic.valueSerde())).withName(name));
    }
}
