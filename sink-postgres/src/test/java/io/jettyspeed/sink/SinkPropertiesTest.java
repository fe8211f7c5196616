package io.jettyspeed.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.settings.SettingsStartup;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

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
    }

    @Test
    void shouldFailStartUpWithOneLineNamingTheSettingAndItsVariable() {
        assertThat(SettingsStartup.failure(Settings.class, SinkApplication.CONFIG_NAME, Map.of("JETTY_SINK_MAX_POLL_RECORDS", "0")))
                .isEqualTo("jetty.sink.max-poll-records (JETTY_SINK_MAX_POLL_RECORDS) must be greater than or equal to 1, was 0");
        assertThat(SettingsStartup.failure(Settings.class, SinkApplication.CONFIG_NAME, Map.of("JETTY_SINK_DEAD_LETTER_RETENTION", "0s")))
                .isEqualTo("jetty.sink.dead-letters.retention (JETTY_SINK_DEAD_LETTER_RETENTION) must be longer than 0, was 0s");
    }
}
