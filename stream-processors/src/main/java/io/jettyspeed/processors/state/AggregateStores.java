package io.jettyspeed.processors.state;

import io.jettyspeed.schemas.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** The store an aggregating processor keeps its aggregates in: RocksDB with a changelog, String keys, Avro values. */
public final class AggregateStores {

    private AggregateStores() {
    }

    public static <V extends SpecificRecord> StoreBuilder<KeyValueStore<String, V>> of(String name, Class<V> type) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), AvroSerde.of(type));
    }
}
