package io.jettyspeed.processors.state;

import io.jettyspeed.schemas.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The store an aggregating processor keeps its aggregates in: RocksDB with a changelog, String keys, Avro
 * values, behind Kafka Streams' record cache.
 *
 * <p>Why the cache: an aggregate changes with nearly every input record (a session with each chunk, a
 * user's stats with each chunk, an edge's health with each sample), and without the cache each change
 * is a RocksDB write and a changelog record. With it, a key's changes within a commit interval are one
 * write and one changelog record at the commit ({@code statestore.cache.max.bytes} per application,
 * {@link io.jettyspeed.processors.StreamsRunner#streamsConfig}); reads of a hot key come from the cache.
 * Under exactly-once the cache is flushed before every commit, so the changelog still matches the
 * committed input. Outputs are unaffected: the processors forward changes themselves (edge health once
 * per commit interval, {@code EdgeHealthProcessor}).
 */
public final class AggregateStores {

    private AggregateStores() {
    }

    public static <V extends SpecificRecord> StoreBuilder<KeyValueStore<String, V>> of(String name, Class<V> type) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), AvroSerde.of(type))
                .withCachingEnabled();
    }
}
