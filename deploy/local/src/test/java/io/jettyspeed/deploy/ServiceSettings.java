package io.jettyspeed.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.yaml.snakeyaml.Yaml;

/**
 * What a service actually reads, taken from the service itself rather than from documentation: its
 * configuration file ({@code <name>.yml} on the classpath, as the service loads it) and its
 * {@code @ConfigurationProperties} types. Gives the port it serves on, where its actuator endpoints
 * are, whether health probes are enabled, and which environment variables it reads:
 * <ul>
 *   <li>every {@code ${NAME:default}} placeholder in the file;</li>
 *   <li>the relaxed-binding name of every property in the file and of every property its
 *       {@code @ConfigurationProperties} types bind ({@code jetty.gateway.max-batch-size} →
 *       {@code JETTY_GATEWAY_MAXBATCHSIZE}, or the legacy {@code JETTY_GATEWAY_MAX_BATCH_SIZE});</li>
 *   <li>any name under a bound map ({@code JETTY_PROCESSORS_STREAMS_<KEY>});</li>
 *   <li>the JVM's own {@code JAVA_TOOL_OPTIONS} and {@code JDK_JAVA_OPTIONS}.</li>
 * </ul>
 */
final class ServiceSettings {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
    private static final Set<String> JVM_ENV = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

    private final String name;
    private final Map<String, Object> properties;
    private final Set<String> placeholders = new TreeSet<>();
    private final Set<String> relaxedNames = new TreeSet<>();
    private final Set<String> relaxedPrefixes = new TreeSet<>();

    private ServiceSettings(String configName, String basePackage) {
        String text = resource(configName + ".yml");
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            placeholders.add(matcher.group(1));
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        // The first document is what runs without a profile (later ones, if any, are profile-specific).
        Object first = new Yaml().loadAll(text).iterator().next();
        flatten("", first, flat);
        this.properties = flat;
        flat.keySet().forEach(this::addRelaxed);
        for (Class<?> type : configurationProperties(basePackage)) {
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
            bound(prefix, type, 0);
        }
        this.name = String.valueOf(flat.get("spring.application.name"));
    }

    static ServiceSettings of(String configName, String basePackage) {
        return new ServiceSettings(configName, basePackage);
    }

    /** {@code spring.application.name}, which is also the module, the image and the container name. */
    String name() {
        return name;
    }

    /** The port {@code server.port} resolves to without overrides. */
    int serverPort() {
        return Integer.parseInt(resolveDefault(property("server.port", "8080")));
    }

    /** Where actuator answers: {@code management.server.port} when set, else the server port. */
    int managementPort() {
        Object port = properties.get("management.server.port");
        return port == null ? serverPort() : Integer.parseInt(resolveDefault(String.valueOf(port)));
    }

    String actuatorBasePath() {
        return resolveDefault(property("management.endpoints.web.base-path", "/actuator"));
    }

    boolean probesEnabled() {
        return Boolean.parseBoolean(resolveDefault(property("management.endpoint.health.probes.enabled", "false")));
    }

    Set<String> exposedEndpoints() {
        return Set.of(resolveDefault(property("management.endpoints.web.exposure.include", "health")).split("\\s*,\\s*"));
    }

    /** The environment variable a property takes its value from ({@code ${NAME:...}}), or null. */
    String envOf(String property) {
        Object value = properties.get(property);
        if (value == null) {
            return null;
        }
        Matcher matcher = PLACEHOLDER.matcher(String.valueOf(value));
        return matcher.lookingAt() ? matcher.group(1) : null;
    }

    /**
     * What a deployment must set: Kafka's bootstrap servers, and where the service uses PostgreSQL its
     * URL, user and password (their defaults point at localhost).
     */
    Set<String> requiredEnv() {
        Set<String> required = new TreeSet<>();
        for (String property : List.of("spring.kafka.bootstrap-servers", "jetty.processors.bootstrap-servers",
                "spring.datasource.url", "spring.datasource.username", "spring.datasource.password")) {
            String env = envOf(property);
            if (env != null) {
                required.add(env);
            }
        }
        return required;
    }

    /** The env name of the database password, or null when the service has no database. */
    String passwordEnv() {
        return envOf("spring.datasource.password");
    }

    boolean reads(String env) {
        return JVM_ENV.contains(env) || placeholders.contains(env) || relaxedNames.contains(env)
                || relaxedPrefixes.stream().anyMatch(prefix -> env.startsWith(prefix) && env.length() > prefix.length());
    }

    Set<String> placeholders() {
        return placeholders;
    }

    private String property(String key, String fallback) {
        Object value = properties.get(key);
        return value == null ? fallback : String.valueOf(value);
    }

    /** {@code ${NAME:default}} → default (nested placeholders resolved to their defaults too). */
    static String resolveDefault(String value) {
        String current = value;
        for (int i = 0; i < 5; i++) {
            Matcher matcher = Pattern.compile("\\$\\{[^:}]+:([^${}]*)}").matcher(current);
            if (!matcher.find()) {
                break;
            }
            current = matcher.replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        }
        return current;
    }

    private void bound(String prefix, Class<?> type, int depth) {
        if (depth > 5) {
            return;
        }
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                property(prefix + "." + kebab(component.getName()), component.getType(), depth);
            }
        } else {
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    property(prefix + "." + kebab(field.getName()), field.getType(), depth);
                }
            }
        }
    }

    private void property(String key, Class<?> type, int depth) {
        if (Map.class.isAssignableFrom(type)) {
            relaxedPrefixes.add(env(key) + "_");
        } else if (type.getPackageName().startsWith("io.jettyspeed") && !type.isEnum()) {
            bound(key, type, depth + 1);
        } else {
            addRelaxed(key);
        }
    }

    /** Spring Boot's environment mapping: dots to underscores, dashes removed (or, legacy, to underscores). */
    private void addRelaxed(String key) {
        relaxedNames.add(env(key));
        relaxedNames.add(key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT));
    }

    private static String env(String key) {
        return key.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object node, Map<String, Object> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, value, into));
        } else {
            into.put(prefix, node);
        }
    }

    private static List<Class<?>> configurationProperties(String basePackage) {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        return scanner.findCandidateComponents(basePackage).stream().map(BeanDefinition::getBeanClassName)
                .<Class<?>>map(className -> {
                    try {
                        return Class.forName(className);
                    } catch (ClassNotFoundException e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
    }

    private static String resource(String name) {
        try (InputStream in = ServiceSettings.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
