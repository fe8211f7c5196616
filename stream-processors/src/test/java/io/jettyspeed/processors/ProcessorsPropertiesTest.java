package io.jettyspeed.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jettyspeed.schemas.cluster.StaticMembership;
import io.jettyspeed.settings.SettingsStartup;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** The settings bind from the real {@code stream-processors.yml}, and a bad one stops the start naming itself. */
class ProcessorsPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ProcessorsProperties.class)
    static class SettingsOnly {
    }

    /** Starts with the real YAML; {@code args} (command-line arguments) outrank it. */
    static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(SettingsOnly.class).web(WebApplicationType.NONE)
                .properties("spring.config.name=" + StreamProcessorsApplication.CONFIG_NAME)
                .run(args);
    }

    @Test
    void shouldBindEverySettingFromTheYamlDefaults() {
        // when
        try (ConfigurableApplicationContext context = start()) {
            ProcessorsProperties properties = context.getBean(ProcessorsProperties.class);

            // then: the defaults are written once, in the YAML
            assertThat(properties.applicationId()).isEqualTo("jetty-stream-processors");
            assertThat(properties.commitInterval()).isEqualTo(Duration.ofMillis(100));
            assertThat(properties.processingGuarantee()).isEqualTo("exactly_once_v2");
            assertThat(properties.sessionRetention()).isEqualTo(Duration.ofDays(7));
            assertThat(properties.maxClockSkew()).isEqualTo(Duration.ofMinutes(6));
            assertThat(properties.maxRecordBytes()).isEqualTo(1_000_000);
            assertThat(properties.streams()).isEmpty();
            assertThat(properties.instanceId()).isEqualTo(StaticMembership.hostName()).isNotBlank();
            assertThat(properties.sessionTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.leaveGroupOnClose()).isTrue();
            assertThat(properties.partitions()).isEqualTo(6);
        }
    }

    @Test
    void shouldRefuseToStartWithASettingThatMakesNoSenseAndNameIt() {
        assertThat(SettingsStartup.failure(SettingsOnly.class, StreamProcessorsApplication.CONFIG_NAME,
                Map.of("JETTY_PROCESSORS_STREAM_THREADS", "0")))
                .isEqualTo("jetty.processors.stream-threads (JETTY_PROCESSORS_STREAM_THREADS) must be greater than or equal to 1, was 0");
        assertThatThrownBy(() -> start("--jetty.processors.stream-threads=0").close())
                .rootCause().hasMessageContaining("jetty.processors.streamThreads")
                .hasMessageContaining("greater than or equal to 1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "session-idle-timeout=0s, sessionIdleTimeout",
        "processing-guarantee=exactly_once, processingGuarantee",
        "instance-id=pod 1/a, instanceId",
        "session-timeout=5s, sessionTimeout",
        "session-timeout=31m, sessionTimeout",
        "partitions=0, partitions",
    })
    void shouldRefuseToStartWithASettingOutOfItsBoundsAndNameIt(String setting, String property) {
        assertThatThrownBy(() -> start("--jetty.processors." + setting).close())
                .rootCause().hasMessageContaining("jetty.processors." + property);
    }

    @Test
    void shouldMakeEachTopologyAStaticMemberNamedAfterTheInstanceAndTheTopology() {
        // given
        try (ConfigurableApplicationContext context = start("--jetty.processors.instance-id=stream-processors-2",
                "--jetty.processors.session-timeout=45s")) {
            ProcessorsProperties properties = context.getBean(ProcessorsProperties.class);

            // when
            Properties config = StreamsRunner.streamsConfig(properties, "user-stats");

            // then: Kafka Streams appends -<thread> per stream thread (StreamsConfig#getMainConsumerConfigs)
            assertThat(config.getProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)).isEqualTo("stream-processors-2-user-stats");
            assertThat(new StreamsConfig(config).getMainConsumerConfigs("g", "c", 1))
                    .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "stream-processors-2-user-stats-1")
                    .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 45_000);
        }
    }
}
