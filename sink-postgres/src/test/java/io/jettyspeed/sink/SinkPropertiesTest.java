package io.jettyspeed.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jettyspeed.schemas.cluster.StaticMembership;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The sink's static-membership settings as {@code jetty.sink.*} binds them. */
class SinkPropertiesTest {

    @Test
    void shouldDefaultTheInstanceIdToTheHostNameAndLeaveTheGroupOnAStop() {
        SinkProperties properties = bind(Map.of());

        assertThat(properties.instanceId()).isEqualTo(StaticMembership.hostName());
        assertThat(properties.sessionTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.leaveGroupOnClose()).isTrue();
    }

    @Test
    void shouldTakeTheInstanceIdAndSessionTimeoutGiven() {
        SinkProperties properties = bind(Map.of("instance-id", "sink-postgres-1", "session-timeout", "2m",
                "leave-group-on-close", "false"));

        assertThat(properties.instanceId()).isEqualTo("sink-postgres-1");
        assertThat(properties.sessionTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(properties.leaveGroupOnClose()).isFalse();
    }

    @Test
    void shouldRefuseAnInstanceIdThatIsNotAPlainNameAndASessionTimeoutOutOfBounds() {
        assertThatThrownBy(() -> bind(Map.of("instance-id", "a b"))).isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("jetty.sink.instance-id");
        assertThatThrownBy(() -> bind(Map.of("session-timeout", "1s"))).isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("jetty.sink.session-timeout");
    }

    private static SinkProperties bind(Map<String, String> settings) {
        Map<String, String> prefixed = new HashMap<>();
        settings.forEach((key, value) -> prefixed.put("jetty.sink." + key, value));
        return new Binder(new MapConfigurationPropertySource(prefixed)).bindOrCreate("jetty.sink", SinkProperties.class);
    }
}
