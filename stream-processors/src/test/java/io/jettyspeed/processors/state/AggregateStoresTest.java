package io.jettyspeed.processors.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.schemas.UserStats;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.junit.jupiter.api.Test;

/**
 * The aggregate stores sit behind Kafka Streams' record cache and keep their changelog: a key's
 * changes within a commit are one store write and one changelog record (the benchmark's row 3 measures
 * what that saves), and the store still restores after a crash.
 */
class AggregateStoresTest {

    @Test
    void shouldPutTheRecordCacheInFrontOfALoggedStore() {
        // given the store an aggregating processor uses
        var builder = AggregateStores.of("user-stats", UserStats.class);

        // when Kafka Streams builds it
        List<StateStore> layers = layers(builder.build());

        // then one of its layers is the record cache (Kafka Streams' CachingKeyValueStore), and changes are logged
        assertThat(layers).extracting(layer -> layer.getClass().getSimpleName()).contains("CachingKeyValueStore");
        assertThat(builder.loggingEnabled()).isTrue();
    }

    private static List<StateStore> layers(StateStore store) {
        List<StateStore> layers = new ArrayList<>();
        StateStore layer = store;
        while (true) {
            layers.add(layer);
            if (!(layer instanceof WrappedStateStore<?, ?, ?> wrapped)) {
                return layers;
            }
            layer = wrapped.wrapped();
        }
    }
}
