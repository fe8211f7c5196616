package io.jettyspeed.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayProducerTest {

    @Test
    void shouldUseTheGatewaysOwnProducerSettings() {
        // when: read from the gateway's api-gateway.yml on the classpath
        Map<String, Object> settings = GatewayProducer.settings("");

        // then
        assertThat(settings).containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
                .containsKey("linger.ms");
    }

    @Test
    void shouldLetOneKnobSetLingerOnBothSides() {
        assertThat(GatewayProducer.settings("5")).containsEntry("linger.ms", "5");
    }

    @Test
    void shouldResolvePlaceholdersAsSpringDoes() {
        assertThat(GatewayProducer.resolve("${JETTY_SURELY_UNSET_VARIABLE:7}")).isEqualTo("7");
        assertThat(GatewayProducer.resolve("2000")).isEqualTo("2000");
    }
}
