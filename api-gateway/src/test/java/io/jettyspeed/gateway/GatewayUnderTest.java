package io.jettyspeed.gateway;

import io.jettyspeed.gateway.security.ApiKeyRepository;
import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.testing.GatewayHttp;
import io.jettyspeed.testing.PostgresSchema;
import io.jettyspeed.testing.SharedKafka;
import java.sql.SQLException;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The gateway of one {@code @SpringBootTest} IT class: its own PostgreSQL schema, fresh topics on the
 * shared broker, and once the context runs, its port, its key repository and an HTTP client. Use as a
 * static {@code @RegisterExtension} field and hand its settings to the context:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final GatewayUnderTest gateway = new GatewayUnderTest();
 *
 * &#64;DynamicPropertySource
 * static void properties(DynamicPropertyRegistry registry) {
 *     gateway.properties(registry);
 * }
 * </pre>
 */
final class GatewayUnderTest implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private final PostgresSchema postgres = new PostgresSchema();
    private final Topics topics = SharedKafka.freshTopics();
    private ApplicationContext context;

    @Override
    public void beforeAll(ExtensionContext extension) throws SQLException {
        postgres.beforeAll(extension);
    }

    @Override
    public void afterAll(ExtensionContext extension) throws SQLException {
        postgres.afterAll(extension);
    }

    @Override
    public void beforeEach(ExtensionContext extension) {
        context = SpringExtension.getApplicationContext(extension);
    }

    /** Points the gateway at the shared broker with this class's topics and at this class's schema. */
    void properties(DynamicPropertyRegistry registry) {
        GatewayTestInfrastructure.kafka(registry, topics);
        GatewayTestInfrastructure.database(registry, postgres);
    }

    Topics topics() {
        return topics;
    }

    /** The port the running gateway serves on (from a test method or a {@code @BeforeEach} on). */
    int port() {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    ApiKeyRepository keys() {
        return context.getBean(ApiKeyRepository.class);
    }

    GatewayHttp http() {
        return new GatewayHttp(port());
    }

    /** Stores an active key with one scope, for a user (client keys) or none, at a rate of requestsPerSecond. */
    void saveKey(String key, Scope scope, String userId, int requestsPerSecond) throws SQLException {
        keys().save(key, Set.of(scope), userId, "", requestsPerSecond, true);
    }
}
