package io.jettyspeed.schemas;

import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic with everything needed to use it: its name, the serdes of its key and value and
 * how many partitions it is created with.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions, boolean compacted) {

    /** The dead-letter topic of this one: same key type, raw dead letters, same partition count. */
    public String deadLetterTopicName() {
        return name + "-dlt";
    }
}
