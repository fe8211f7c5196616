package io.jettyspeed.processors;

import io.jettyspeed.schemas.cluster.ClusterReachability;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The stream processors service: edge health, dedup index, upload sessions and per-user stats on
 * Kafka Streams. Reads {@code stream-processors.yml} (not application.yml: the local run starts
 * three services in one JVM). Actuator health and Prometheus on the management port (8081).
 */
@SpringBootApplication
@EnableConfigurationProperties(ProcessorsProperties.class)
public class StreamProcessorsApplication {

    public static final String CONFIG_NAME = "stream-processors";

    public static void main(String[] args) {
        start(args);
    }

    public static ConfigurableApplicationContext start(String... args) {
        return builder().run(args);
    }

    /** The application with its own config name, so a launcher can start it beside the other services. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(StreamProcessorsApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    /** As the gateway's: an outage shows within timeout + cache (about 7 s), and probes do not hammer the cluster. */
    static final Duration KAFKA_HEALTH_TIMEOUT = Duration.ofSeconds(2);
    static final Duration KAFKA_HEALTH_CACHE = Duration.ofSeconds(5);

    @Bean
    StreamsRunner streamsRunner(ProcessorsProperties properties, MeterRegistry registry) {
        return new StreamsRunner(properties, registry);
    }

    @Bean(destroyMethod = "close")
    ClusterReachability clusterReachability(ProcessorsProperties properties) {
        return new ClusterReachability(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, properties.applicationId() + "-health"),
                KAFKA_HEALTH_TIMEOUT, KAFKA_HEALTH_CACHE);
    }

    /** Readiness: every topology's application RUNNING (see {@link StreamsHealth}). */
    @Bean
    HealthIndicator streamsHealthIndicator(StreamsRunner runner) {
        return StreamsHealth.readiness(runner);
    }

    /** Readiness: the cluster answers. */
    @Bean
    HealthIndicator kafkaHealthIndicator(ClusterReachability cluster) {
        return StreamsHealth.kafka(cluster);
    }

    /** Liveness: no application has given up for good. */
    @Bean
    HealthIndicator streamsAliveHealthIndicator(StreamsRunner runner) {
        return StreamsHealth.liveness(runner);
    }
}
