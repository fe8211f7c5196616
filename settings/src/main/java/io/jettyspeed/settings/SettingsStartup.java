package io.jettyspeed.settings;

import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Starts only the binding of a service's settings, the way the service starts: its own YAML
 * ({@code spring.config.name}), an environment, command-line arguments. For the settings tests of each
 * service (defaults bind, a bad value fails start-up with the one line), which need neither Kafka nor
 * PostgreSQL.
 */
public final class SettingsStartup {

    private SettingsStartup() {
    }

    /**
     * @param configuration a class with {@code @EnableConfigurationProperties(TheServiceProperties.class)}
     * @param configName the service's YAML without {@code .yml}
     * @param environment stands in for the process environment (variables such as {@code JETTY_PARTITIONS})
     */
    public static ConfigurableApplicationContext start(Class<?> configuration, String configName,
            Map<String, Object> environment, String... args) {
        StandardEnvironment spring = new StandardEnvironment();
        spring.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
        return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE).environment(spring)
                .properties("spring.config.name=" + configName).run(args);
    }

    /** The settings record as the service's YAML alone binds it (no environment, no arguments). */
    public static <T> T bind(Class<T> type, Class<?> configuration, String configName) {
        try (ConfigurableApplicationContext started = start(configuration, configName, Map.of())) {
            return started.getBean(type);
        }
    }

    /** What {@link SettingsFailureAnalyzer} reports when that start fails; an {@link AssertionError} if it starts. */
    public static String failure(Class<?> configuration, String configName, Map<String, Object> environment,
            String... args) {
        try (ConfigurableApplicationContext started = start(configuration, configName, environment, args)) {
            throw new AssertionError("started although the settings are invalid: " + started.getEnvironment());
        } catch (RuntimeException failed) {
            var analysis = new SettingsFailureAnalyzer().analyze(failed);
            if (analysis == null) {
                throw new AssertionError("start-up failed for another reason", failed);
            }
            return analysis.getDescription();
        }
    }
}
