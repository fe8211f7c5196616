package io.jettyspeed.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.schemas.cluster.StaticMembership;
import io.jettyspeed.settings.SettingsStartup;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;

/** The sink's settings: defaults only in sink-postgres.yml, a bad value stops start-up with one line. */
class SinkPropertiesTest {

    @EnableConfigurationProperties(SinkProperties.class)
    static class Settings {
    }

    @Test
    void shouldBindTheDefaultsOfSinkPostgresYml() {
        SinkProperties sink = SettingsStartup.bind(SinkProperties.class, Settings.class, SinkApplication.CONFIG_NAME);

        assertThat(sink.maxPollRecords()).isEqualTo(2_000);
        assertThat(sink.groupId()).isEqualTo("jetty-sink-postgres");
        assertThat(sink.pollTimeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(sink.deadLetters().retention()).isEqualTo(Duration.ofDays(7));
        // Static membership: the host name unless set, a restart within 30 s keeps the partitions, a clean stop leaves.
        assertThat(sink.instanceId()).isEqualTo(StaticMembership.hostName()).isNotBlank();
        assertThat(sink.sessionTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(sink.leaveGroupOnClose()).isTrue();
    }

    @Test
    void shouldTakeTheInstanceIdAndSessionTimeoutGiven() {
        Map<String, Object> environment = Map.of("JETTY_SINK_INSTANCE_ID", "sink-postgres-1",
                "JETTY_SINK_SESSION_TIMEOUT", "2m", "JETTY_SINK_LEAVE_GROUP_ON_CLOSE", "false");
        try (ConfigurableApplicationContext started = SettingsStartup.start(Settings.class, SinkApplication.CONFIG_NAME, environment)) {
            SinkProperties sink = started.getBean(SinkProperties.class);

            assertThat(sink.instanceId()).isEqualTo("sink-postgres-1");
            assertThat(sink.sessionTimeout()).isEqualTo(Duration.ofMinutes(2));
            assertThat(sink.leaveGroupOnClose()).isFalse();
        }
    }

    @Test
    void shouldFailStartUpWithOneLineNamingTheSettingAndItsVariable() {
        assertThat(SettingsStartup.failure(Settings.class, SinkApplication.CONFIG_NAME, Map.of("JETTY_SINK_MAX_POLL_RECORDS", "0")))
                .isEqualTo("jetty.sink.max-poll-records (JETTY_SINK_MAX_POLL_RECORDS) must be greater than or equal to 1, was 0");
        assertThat(SettingsStartup.failure(Settings.class, SinkApplication.CONFIG_NAME, Map.of("JETTY_SINK_DEAD_LETTER_RETENTION", "0s")))
                .isEqualTo("jetty.sink.dead-letters.retention (JETTY_SINK_DEAD_LETTER_RETENTION) must be longer than 0, was 0s");
        assertThat(SettingsStartup.failure(Settings.class, SinkApplication.CONFIG_NAME, Map.of("JETTY_SINK_INSTANCE_ID", "a b")))
                .startsWith("jetty.sink.instance-id (JETTY_SINK_INSTANCE_ID) ");
        assertThat(SettingsStartup.failure(Settings.class, SinkApplication.CONFIG_NAME, Map.of("JETTY_SINK_SESSION_TIMEOUT", "1s")))
                .startsWith("jetty.sink.session-timeout (JETTY_SINK_SESSION_TIMEOUT) ");
    }
}
