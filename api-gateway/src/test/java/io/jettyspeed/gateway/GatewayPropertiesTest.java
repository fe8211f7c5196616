package io.jettyspeed.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.gateway.dashboard.DashboardProperties;
import io.jettyspeed.settings.SettingsStartup;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The gateway's settings: defaults only in api-gateway.yml, a bad value stops start-up with one line. */
class GatewayPropertiesTest {

    @EnableConfigurationProperties({GatewayProperties.class, DashboardProperties.class})
    static class Settings {
    }

    @Test
    void shouldBindTheDefaultsOfApiGatewayYml() {
        GatewayProperties gateway = SettingsStartup.bind(GatewayProperties.class, Settings.class, GatewayApplication.CONFIG_NAME);
        DashboardProperties dashboard = SettingsStartup.bind(DashboardProperties.class, Settings.class, GatewayApplication.CONFIG_NAME);

        assertThat(gateway.maxBatchSize()).isEqualTo(500);
        assertThat(gateway.dedupScope()).isEqualTo(GatewayProperties.DedupScope.GLOBAL);
        assertThat(gateway.freshness().pollInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(gateway.security().keyCacheSize()).isEqualTo(10_000);
        assertThat(dashboard.historyLength()).isEqualTo(150);
    }

    @Test
    void shouldFailStartUpWithOneLineNamingTheSettingAndItsVariable() {
        assertThat(failure(Map.of("JETTY_GATEWAY_MAX_BATCH_SIZE", "0")))
                .isEqualTo("jetty.gateway.max-batch-size (JETTY_GATEWAY_MAX_BATCH_SIZE) must be greater than or equal to 1, was 0");
        assertThat(failure(Map.of("JETTY_SESSION_ID_KEY", "short")))
                .isEqualTo("jetty.gateway.session-id-key (JETTY_SESSION_ID_KEY) must be empty or have at least 32 characters, was short");
        assertThat(failure(Map.of("JETTY_FRESHNESS_POLL_INTERVAL", "0s")))
                .isEqualTo("jetty.gateway.freshness.poll-interval (JETTY_FRESHNESS_POLL_INTERVAL) must be longer than 0, was 0s");
        assertThat(failure(Map.of("JETTY_FRESHNESS_DEFAULT_WAIT", "10s")))
                .isEqualTo("jetty.gateway.freshness: default-wait must not exceed max-wait, was 10s > 5s");
        assertThat(failure(Map.of("JETTY_GATEWAY_DASHBOARD_HISTORY_LENGTH", "1")))
                .isEqualTo("jetty.gateway.dashboard.history-length (JETTY_GATEWAY_DASHBOARD_HISTORY_LENGTH) must be greater than or equal to 2, was 1");
    }

    private static String failure(Map<String, Object> environment) {
        return SettingsStartup.failure(Settings.class, GatewayApplication.CONFIG_NAME, environment);
    }
}
