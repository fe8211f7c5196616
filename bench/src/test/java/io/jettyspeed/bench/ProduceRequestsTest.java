package io.jettyspeed.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProduceRequestsTest {

    @Test
    void shouldReadTheGatewaysProducerTotalsAndNotItsPerNodeOnes() {
        // given: what the gateway's /actuator/prometheus says, per-node request counts and other totals beside them
        String before = """
                # TYPE kafka_producer_record_send_total counter
                kafka_producer_record_send_total{client_id="api-gateway",kafka_version="4.1.2"} 1000.0
                kafka_producer_request_total{client_id="api-gateway",kafka_version="4.1.2"} 50.0
                kafka_producer_node_request_total{client_id="api-gateway",node_id="node-1"} 49.0
                kafka_producer_record_error_total{client_id="api-gateway",kafka_version="4.1.2"} 0.0
                """;
        String after = before.replace("} 1000.0", "} 31000.0").replace("version=\"4.1.2\"} 50.0", "version=\"4.1.2\"} 1050.0");

        // when
        double perRequest = ProduceRequests.fromPrometheus(after).perRequestSince(ProduceRequests.fromPrometheus(before));

        // then
        assertThat(perRequest).isEqualTo(30.0);
    }

    @Test
    void shouldSayZeroWhenNoRequestWasSent() {
        assertThat(new ProduceRequests(10, 2).perRequestSince(new ProduceRequests(10, 2))).isZero();
    }
}
