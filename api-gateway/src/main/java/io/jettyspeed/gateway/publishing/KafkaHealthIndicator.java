package io.jettyspeed.gateway.publishing;

import io.jettyspeed.gateway.GatewayProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Readiness of the gateway's one essential dependency: the Kafka cluster answers a
 * {@code describeCluster} within {@code jetty.gateway.kafka-health-timeout}. The answer is reused
 * for {@code kafka-health-cache-ttl}, so probes do not hammer the cluster. Part of the
 * {@code readiness} group: a gateway that cannot publish takes no traffic.
 */
@Component("kafka")
public class KafkaHealthIndicator implements HealthIndicator, DisposableBean {

    private final Map<String, Object> adminConfig;
    private final Duration timeout;
    private final long ttlNanos;
    private volatile Admin admin;
    private volatile Health last;
    private volatile long lastCheckedAt;

    public KafkaHealthIndicator(KafkaProperties kafka, GatewayProperties properties) {
        this.timeout = properties.kafkaHealthTimeout();
        this.ttlNanos = properties.kafkaHealthCacheTtl().toNanos();
        Map<String, Object> config = new HashMap<>(kafka.buildAdminProperties());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "api-gateway-health");
        this.adminConfig = config;
    }

    @Override
    public Health health() {
        Health cached = last;
        if (cached != null && System.nanoTime() - lastCheckedAt < ttlNanos) {
            return cached;
        }
        synchronized (this) {
            if (last != null && System.nanoTime() - lastCheckedAt < ttlNanos) {
                return last;
            }
            Health fresh = check();
            last = fresh;
            lastCheckedAt = System.nanoTime();
            return fresh;
        }
    }

    private Health check() {
        try {
            DescribeClusterResult cluster = admin()
                    .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
            long waitMs = timeout.toMillis() + 500;
            String clusterId = cluster.clusterId().get(waitMs, TimeUnit.MILLISECONDS);
            int nodes = cluster.nodes().get(waitMs, TimeUnit.MILLISECONDS).size();
            return Health.up().withDetail("clusterId", clusterId).withDetail("brokers", nodes).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted").build();
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Health.down().withDetail("error", cause.getClass().getSimpleName() + ": " + cause.getMessage())
                    .build();
        }
    }

    private Admin admin() {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(adminConfig);
                }
                current = admin;
            }
        }
        return current;
    }

    @Override
    public void destroy() {
        Admin current = admin;
        if (current != null) {
            current.close(Duration.ofSeconds(2));
        }
    }
}
