package io.jettyspeed.processors.skeleton;

import io.jettyspeed.schemas.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * How a topology moves records to the partition of their (new) key: through a named repartition
 * topic, so {@code describe()} and the topic's name stay what they were, with an explicit partition
 * count that lines the tasks up with the topic read beside it.
 */
public final class Repartitions {

    private Repartitions() {
    }

    /** String keys, Avro values of {@code type}, the repartition topic {@code name} with {@code partitions}. */
    public static <V extends SpecificRecord> Repartitioned<String, V> of(Class<V> type, String name, int partitions) {
        return Repartitioned.with(Serdes.String(), AvroSerde.of(type)).withName(name).withNumberOfPartitions(partitions);
    }
}
