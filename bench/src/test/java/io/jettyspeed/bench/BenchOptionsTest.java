package io.jettyspeed.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void shouldSelectRowsByNumberOrName() {
        assertThat(BenchOptions.rows("1,2,3,4,5,6")).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
        assertThat(BenchOptions.rows("ingest, sink")).containsExactlyInAnyOrder(1, 2, 4);
        assertThat(BenchOptions.rows("processing,read,e2e")).containsExactlyInAnyOrder(3, 5, 6);
        assertThatThrownBy(() -> BenchOptions.rows("7")).hasMessageContaining("no row 7");
    }

    @Test
    void shouldGiveEveryServiceItsOwnHeap() {
        BenchOptions o = BenchOptions.fromSystemProperties();

        assertThat(o.heap("gateway")).isEqualTo("128m");
        assertThat(o.heap("broker")).isEqualTo("768m");
    }

    @Test
    void shouldGroupFurtherSettingsByService() {
        // given
        Properties properties = new Properties();
        properties.setProperty("bench.set.processors.jetty.processors.streams[producer.retry.backoff.ms]", "10");
        properties.setProperty("bench.set.gateway.jetty.gateway.http-metrics", "observation");
        properties.setProperty("bench.pairs", "5");

        // when
        Map<String, Map<String, String>> settings = BenchOptions.settings(properties);

        // then
        assertThat(settings).containsOnlyKeys("processors", "gateway");
        assertThat(settings.get("processors")).containsExactly(Map.entry("jetty.processors.streams[producer.retry.backoff.ms]", "10"));
        assertThat(settings.get("gateway")).containsExactly(Map.entry("jetty.gateway.http-metrics", "observation"));
        properties.setProperty("bench.set.nodot", "x");
        assertThatThrownBy(() -> BenchOptions.settings(properties)).hasMessageContaining("bench.set.<service>.<setting>");
    }
}
