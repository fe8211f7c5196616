package io.jettyspeed.gateway;

import io.jettyspeed.gateway.security.ApiKeyRepository;
import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.testing.GatewayHttp;
import io.jettyspeed.testing.PostgresSchema;
import io.jettyspeed.testing.SharedKafka;
import io.jettyspeed.testing.TopicOffsets;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The gateway of one {@code @SpringBootTest} IT class: its own PostgreSQL schema, fresh topics on the
 * shared broker, the keys its tests use, and once the context runs, its port, its beans and an HTTP
 * client. Declaring it is all an IT class does:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final GatewayUnderTest gateway = new GatewayUnderTest().withKey(ADMIN_KEY, Scope.ADMIN, null, 1000);
 * </pre>
 *
 * <p>{@link Settings} (registered in {@code META-INF/spring.factories}, like Boot's service
 * connections) finds that field and points the class's context at the schema and the topics; as the
 * field differs from class to class, so does the context.
 */
final class GatewayUnderTest implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    /** What the class declared; the rest is the fixture's own. */
    private final List<Key> keys = new ArrayList<>();
    private final PostgresSchema postgres = new PostgresSchema();
    private final Topics topics = SharedKafka.freshTopics();
    private ApplicationContext context;
    /** A gateway this fixture started itself ({@link #run}), closed after the class. */
    private ConfigurableApplicationContext started;
    private TopicOffsets offsets;

    /** Stores an active key with one scope, for a user (client keys) or none, before each test. */
    GatewayUnderTest withKey(String key, Scope scope, String userId, int requestsPerSecond) {
        keys.add(new Key(key, scope, userId, requestsPerSecond));
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext extension) throws SQLException {
        postgres.beforeAll(extension);
    }

    @Override
    public void afterAll(ExtensionContext extension) throws SQLException {
        if (started != null) {
            started.close();
        }
        if (offsets != null) {
            offsets.close();
        }
        postgres.afterAll(extension);
    }

    @Override
    public void beforeEach(ExtensionContext extension) throws SQLException {
        if (context == null) {
            context = SpringExtension.getApplicationContext(extension);
        }
        saveKeys();
    }

    /**
     * Starts the gateway without a Spring test context, for an IT that runs the processors too and
     * points the gateway's freshness at their application id.
     */
    void run(String processorsApplicationId) throws SQLException {
        List<String> args = new ArrayList<>(List.of("--server.port=0"));
        properties(processorsApplicationId).forEach((name, value) -> args.add("--" + name + "=" + value.get()));
        started = GatewayApplication.builder().run(args.toArray(String[]::new));
        context = started;
        saveKeys();
    }

    private void saveKeys() throws SQLException {
        for (Key key : keys) {
            saveKey(key.key(), key.scope(), key.userId(), key.requestsPerSecond());
        }
    }

    Topics topics() {
        return topics;
    }

    /** End offsets of the topics the gateway publishes to: what a refused request must not move. */
    synchronized TopicOffsets offsets() {
        if (offsets == null) {
            offsets = new TopicOffsets(topics.ingestTopics());
        }
        return offsets;
    }

    /** The port the running gateway serves on (from a test method or a {@code @BeforeEach} on). */
    int port() {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    ApiKeyRepository keys() {
        return bean(ApiKeyRepository.class);
    }

    GatewayHttp http() {
        return new GatewayHttp(port());
    }

    /** Stores an active key with one scope, for a user (client keys) or none, at a rate of requestsPerSecond. */
    void saveKey(String key, Scope scope, String userId, int requestsPerSecond) throws SQLException {
        keys().save(key, Set.of(scope), userId, "", requestsPerSecond, true);
    }

    /** Points the gateway at the shared broker with this class's topics and at this class's schema. */
    private Map<String, Supplier<Object>> properties(String processorsApplicationId) {
        Map<String, Supplier<Object>> properties = new LinkedHashMap<>();
        GatewayTestInfrastructure.kafka(properties::put, topics, processorsApplicationId);
        GatewayTestInfrastructure.database(properties::put, postgres);
        return properties;
    }

    private record Key(String key, Scope scope, String userId, int requestsPerSecond) {
    }

    /** Hands the settings of a test class's {@code static GatewayUnderTest} field to its context. */
    static final class Settings implements ContextCustomizerFactory {

        @Override
        public ContextCustomizer createContextCustomizer(Class<?> testClass,
                List<ContextConfigurationAttributes> configAttributes) {
            for (Field field : testClass.getDeclaredFields()) {
                if (field.getType() == GatewayUnderTest.class && Modifier.isStatic(field.getModifiers())) {
                    try {
                        field.setAccessible(true);
                        return new Customizer((GatewayUnderTest) field.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            return null;
        }
    }

    /** Equal only for the same gateway, so that each IT class gets its own context. */
    private record Customizer(GatewayUnderTest gateway) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            // Highest precedence and read when asked for, as @DynamicPropertySource values are: the
            // schema exists only once the class's tests start.
            Map<String, Supplier<Object>> properties = gateway.properties(
                    GatewayTestInfrastructure.processorsApplicationId(gateway.topics()));
            context.getEnvironment().getPropertySources().addFirst(
                    new EnumerablePropertySource<>("gatewayUnderTest", properties) {
                        @Override
                        public String[] getPropertyNames() {
                            return properties.keySet().toArray(String[]::new);
                        }

                        @Override
                        public Object getProperty(String name) {
                            Supplier<Object> value = properties.get(name);
                            return value == null ? null : value.get();
                        }
                    });
        }
    }
}
