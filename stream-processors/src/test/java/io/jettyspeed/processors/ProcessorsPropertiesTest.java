package io.jettyspeed.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jettyspeed.schemas.cluster.StaticMembership;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The recovery settings as {@code jetty.processors.*} binds them, and what they become in Kafka Streams' configuration. */
class ProcessorsPropertiesTest {

    @Test
    void shouldDefaultTheInstanceIdToTheHostNameAndTheSessionTimeoutTo30Seconds() {
        // when
        ProcessorsProperties properties = bind(Map.of());

        // then
        assertThat(properties.instanceId()).isEqualTo(StaticMembership.hostName()).isNotBlank();
        assertThat(properties.sessionTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.leaveGroupOnClose()).isTrue();
        assertThat(properties.partitions()).isEqualTo(6);
    }

    @Test
    void shouldMakeEachTopologyAStaticMemberNamedAfterTheInstanceAndTheTopology() {
        // given
        ProcessorsProperties properties = bind(Map.of("instance-id", "stream-processors-2", "session-timeout", "45s"));

        // when
        Properties config = StreamsRunner.streamsConfig(properties, "user-stats");

        // then: Kafka Streams appends -<thread> per stream thread (StreamsConfig#getMainConsumerConfigs)
        assertThat(config.getProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)).isEqualTo("stream-processors-2-user-stats");
        assertThat(new StreamsConfig(config).getMainConsumerConfigs("g", "c", 1))
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "stream-processors-2-user-stats-1")
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 45_000);
    }

    @Test
    void shouldRefuseAnInstanceIdThatIsNotAPlainName() {
        assertThatThrownBy(() -> bind(Map.of("instance-id", "pod 1/a")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("instanceId");
    }

    @Test
    void shouldRefuseASessionTimeoutOutsideTheBrokersDefaultBounds() {
        assertThatThrownBy(() -> bind(Map.of("session-timeout", "5s")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("sessionTimeout");
        assertThatThrownBy(() -> bind(Map.of("session-timeout", "31m")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("sessionTimeout");
        assertThat(bind(Map.of("session-timeout", "6s")).sessionTimeout()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void shouldRefuseFewerThanOnePartition() {
        assertThatThrownBy(() -> bind(Map.of("partitions", "0")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("partitions");
    }

    private static ProcessorsProperties bind(Map<String, String> settings) {
        Map<String, String> prefixed = new HashMap<>();
        settings.forEach((key, value) -> prefixed.put("jetty.processors." + key, value));
        return new Binder(new MapConfigurationPropertySource(prefixed))
                .bindOrCreate("jetty.processors", ProcessorsProperties.class);
    }
}
