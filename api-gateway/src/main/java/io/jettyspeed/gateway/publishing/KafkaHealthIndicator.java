package io.jettyspeed.gateway.publishing;

import io.jettyspeed.gateway.GatewayProperties;
import io.jettyspeed.schemas.cluster.ClusterReachability;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Readiness of the gateway's one essential dependency: the Kafka cluster answers a
 * {@code describeCluster} within {@code jetty.gateway.kafka-health-timeout} ({@link ClusterReachability},
 * shared with the processors). The answer is reused for {@code kafka-health-cache-ttl}, so probes do
 * not hammer the cluster. Part of the {@code readiness} group: a gateway that cannot publish takes no traffic.
 */
@Component("kafka")
public class KafkaHealthIndicator implements HealthIndicator, DisposableBean {

    private final ClusterReachability cluster;

    public KafkaHealthIndicator(KafkaProperties kafka, GatewayProperties properties) {
        Map<String, Object> config = new HashMap<>(kafka.buildAdminProperties());
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "api-gateway-health");
        this.cluster = new ClusterReachability(config, properties.kafkaHealthTimeout(), properties.kafkaHealthCacheTtl());
    }

    @Override
    public Health health() {
        ClusterReachability.Answer answer = cluster.check();
        return answer.reachable()
                ? Health.up().withDetail("clusterId", answer.clusterId()).withDetail("brokers", answer.brokers()).build()
                : Health.down().withDetail("error", answer.error()).build();
    }

    @Override
    public void destroy() {
        cluster.close();
    }
}
