package io.jettyspeed.processors.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The metric {@code jettyspeed-processors:store-entries} (Prometheus
 * {@code kafka_jettyspeed_processors_store_entries}) per key-value store and task: RocksDB's
 * estimate of its entries ({@link KeyValueStore#approximateNumEntries()}, cheap: a property read,
 * no scan), taken whenever the processor's punctuator runs. With it an operator sees that state
 * stops growing once the retention sweeps run. (Windowed stores are covered by Kafka Streams' own
 * {@code kafka_stream_state_estimate_num_keys}.)
 */
public final class StoreSizes {

    private final List<KeyValueStore<?, ?>> stores = new ArrayList<>();
    private final List<Sensor> sensors = new ArrayList<>();

    private StoreSizes() {
    }

    public static StoreSizes register(ProcessorContext<?, ?> context, String processor, List<KeyValueStore<?, ?>> stores) {
        StoreSizes sizes = new StoreSizes();
        for (KeyValueStore<?, ?> store : stores) {
            sizes.stores.add(store);
            sizes.sensors.add(ProcessorMetrics.sensor(context, processor, "store-entries",
                    "Approximate number of entries in a state store of a JettySpeed processor", Map.of("store", store.name()),
                    new Value()));
        }
        sizes.record();
        return sizes;
    }

    public void record() {
        for (int i = 0; i < stores.size(); i++) {
            sensors.get(i).record(stores.get(i).approximateNumEntries());
        }
    }
}
