package io.jettyspeed.processors.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

class BoundedRocksDbMemoryTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldGiveEveryStoreTheSharedCacheAndSmallMemtables() {
        // given
        BoundedRocksDbMemory setter = new BoundedRocksDbMemory();

        // when two stores are configured
        try (Options first = new Options(); Options second = new Options()) {
            // as Kafka Streams hands them to the setter: with a block-based table configuration
            first.setTableFormatConfig(new BlockBasedTableConfig());
            second.setTableFormatConfig(new BlockBasedTableConfig());
            setter.setConfig("a", first, Map.of(BoundedRocksDbMemory.MEMORY_CONFIG, 8L * 1024 * 1024));
            setter.setConfig("b", second, Map.of(BoundedRocksDbMemory.MEMORY_CONFIG, 8L * 1024 * 1024));

            // then
            assertThat(first.writeBufferSize()).isEqualTo(1024 * 1024);
            assertThat(first.maxWriteBufferNumber()).isEqualTo(2);
            assertThat(((BlockBasedTableConfig) first.tableFormatConfig()).cacheIndexAndFilterBlocks()).isTrue();
            assertThat(((BlockBasedTableConfig) second.tableFormatConfig()).cacheIndexAndFilterBlocks()).isTrue();
        }
    }

    @Test
    void shouldKeepAStoresDataWithTheBoundedConfiguration() {
        // given a persistent (RocksDB) store opened with the setter, as the processors configure it
        StreamsBuilder builder = new StreamsBuilder();
        builder.table("in", Consumed.with(Serdes.String(), Serdes.String()),
                Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as("kept"));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "bounded-rocksdb");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        config.put(BoundedRocksDbMemory.MEMORY_CONFIG, 8L * 1024 * 1024);

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), config)) {
            TestInputTopic<String, String> in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());

            // when
            for (int i = 0; i < 1_000; i++) {
                in.pipeInput("key-" + i, "value-" + i);
            }

            // then
            KeyValueStore<String, String> store = driver.getKeyValueStore("kept");
            assertThat(store.get("key-0")).isEqualTo("value-0");
            assertThat(store.get("key-999")).isEqualTo("value-999");
            assertThat(store.approximateNumEntries()).isPositive();
        }
    }
}
