package io.jettyspeed.gateway;

import io.jettyspeed.schemas.Topics;
import io.jettyspeed.testing.PostgresSchema;
import io.jettyspeed.testing.SharedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a gateway under test at the shared broker (its own topics, its own processors' application
 * id for the freshness watermark) and its class's own schema.
 */
final class GatewayTestInfrastructure {

    private GatewayTestInfrastructure() {
    }

    static void kafka(DynamicPropertyRegistry registry, Topics topics) {
        kafka(registry, topics, processorsApplicationId(topics));
    }

    static void kafka(DynamicPropertyRegistry registry, Topics topics, String processorsApplicationId) {
        registry.add("spring.kafka.bootstrap-servers", SharedKafka::bootstrapServers);
        registry.add("jetty.gateway.topic-prefix", topics::prefix);
        registry.add("jetty.gateway.freshness.processors-application-id", () -> processorsApplicationId);
    }

    /** The processors' application id the gateway of a test with these topics follows (no processors run there). */
    static String processorsApplicationId(Topics topics) {
        return topics.prefix() + "processors";
    }

    static void database(DynamicPropertyRegistry registry, PostgresSchema postgres) {
        registry.add("spring.datasource.url", postgres::jdbcUrl);
        registry.add("spring.datasource.username", postgres::user);
        registry.add("spring.datasource.password", postgres::password);
        registry.add("spring.flyway.schemas", postgres::schema);
    }
}
