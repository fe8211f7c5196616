package io.jettyspeed.processors;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
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

    @Bean
    StreamsRunner streamsRunner(ProcessorsProperties properties, MeterRegistry registry) {
        return new StreamsRunner(properties, registry);
    }
}
