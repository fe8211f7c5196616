package io.jettyspeed.gateway;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The API gateway: authenticates, validates and durably publishes upload, chunk, edge-metric and
 * dedup-check events to Kafka, and answers the read endpoints from stream state.
 *
 * <p>Its configuration file is {@code api-gateway.yml}, not {@code application.yml}: the local
 * launcher runs the gateway, the processors and the sink in one JVM, each with its own file.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    /** Name of the configuration file ({@code api-gateway.yml}) and of the app in logs and metrics. */
    public static final String CONFIG_NAME = "api-gateway";

    /**
     * A builder already pointed at {@code api-gateway.yml}; a launcher adds its own properties or
     * profiles ({@code builder().profiles("local").properties("server.port=8080").run()}).
     */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(GatewayApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME, "spring.application.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
