package io.jettyspeed.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code deploy/compose/compose.yaml} checked against the services' settings: every env name a service
 * container gets is one it reads, each gets what it needs, the published container port and the health
 * check's URL are the service's, the database and broker addresses point at the Compose services that
 * provide them (with the same database, user and password), and the topic catalogue is created first at
 * a replication the one broker can hold.
 */
final class ComposeManifest {

    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/([^?]+).*");

    private ComposeManifest() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String yaml) {
        return new Yaml().load(yaml);
    }

    @SuppressWarnings("unchecked")
    static List<String> problems(Map<String, Object> compose, Map<String, ServiceSettings> services, Set<String> toolsEnv,
            String kafkaImage, String postgresImage) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> all = (Map<String, Map<String, Object>>) (Map<?, ?>) compose.get("services");
        Map<String, Object> kafka = null;
        Map<String, Object> postgres = null;
        String kafkaName = null;
        String postgresName = null;
        int brokers = 0;
        for (var entry : all.entrySet()) {
            String image = String.valueOf(entry.getValue().get("image"));
            if (image.startsWith("apache/kafka")) {
                kafka = entry.getValue();
                kafkaName = entry.getKey();
                brokers++;
                if (!image.equals(kafkaImage)) {
                    problems.add(entry.getKey() + ": image " + image + ", expected the Kafka the project pins: " + kafkaImage);
                }
            } else if (image.startsWith("postgres")) {
                postgres = entry.getValue();
                postgresName = entry.getKey();
                if (!image.equals(postgresImage)) {
                    problems.add(entry.getKey() + ": image " + image + ", expected " + postgresImage);
                }
            }
        }
        if (kafka == null || postgres == null) {
            problems.add("compose runs no Kafka (apache/kafka) or no PostgreSQL (postgres)");
            return problems;
        }
        Map<String, String> kafkaEnv = environment(kafka);
        String advertised = plaintextListener(kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS"));
        Map<String, String> postgresEnv = environment(postgres);

        String topicsService = null;
        List<String> deployed = new ArrayList<>();
        for (var entry : all.entrySet()) {
            String name = entry.getKey();
            Map<String, Object> service = entry.getValue();
            String module = module(service);
            if (module == null) {
                continue;
            }
            Map<String, String> env = environment(service);
            if (module.equals("tools")) {
                topicsService = name;
                env.keySet().stream().filter(key -> !toolsEnv.contains(key))
                        .forEach(key -> problems.add(name + ": sets " + key + ", which the tools do not read"));
                int factor = Integer.parseInt(env.getOrDefault("JETTY_REPLICATION_FACTOR", "3"));
                int minInsync = Integer.parseInt(env.getOrDefault("JETTY_MIN_INSYNC_REPLICAS", "2"));
                if (factor > brokers || minInsync > factor) {
                    problems.add(name + ": replication factor " + factor + " / min.insync.replicas " + minInsync
                            + " with " + brokers + " broker(s): the topics cannot be created");
                }
                checkBootstrap(name, env, advertised, problems);
                continue;
            }
            ServiceSettings settings = services.get(module);
            if (settings == null) {
                problems.add(name + ": builds " + module + ", which is none of " + services.keySet() + " or tools");
                continue;
            }
            deployed.add(module);
            env.keySet().stream().filter(key -> !settings.reads(key))
                    .forEach(key -> problems.add(name + ": sets " + key + ", which " + settings.name() + " does not read"));
            settings.requiredEnv().stream().filter(key -> !env.containsKey(key))
                    .forEach(key -> problems.add(name + ": does not set " + key + " (" + settings.name() + " needs it)"));
            checkBootstrap(name, env, advertised, problems);
            checkDatabase(name, env, settings, postgresName, postgresEnv, problems);
            int port = settings.managementPort();
            for (Object mapping : (List<Object>) service.getOrDefault("ports", List.of())) {
                String text = String.valueOf(mapping);
                String container = text.substring(text.lastIndexOf(':') + 1).replaceFirst("/.*", "");
                if (!container.equals(String.valueOf(settings.serverPort()))) {
                    problems.add(name + ": publishes container port " + container + ", the service listens on " + settings.serverPort());
                }
            }
            String health = settings.actuatorBasePath() + "/health/readiness";
            Object test = service.get("healthcheck") instanceof Map<?, ?> check ? check.get("test") : null;
            String url = "http://localhost:" + port + health;
            if (test == null || !String.valueOf(test).contains(url)) {
                problems.add(name + ": healthcheck " + test + " does not ask " + url);
            }
            if (!settings.probesEnabled()) {
                problems.add(name + ": " + settings.name() + ".yml does not enable health probes");
            }
        }
        if (!deployed.containsAll(services.keySet())) {
            problems.add("services not in compose: " + services.keySet().stream().filter(s -> !deployed.contains(s)).toList());
        }
        if (topicsService == null) {
            problems.add("no service runs the tools image's `topics`; Kafka's auto-creation is "
                    + kafkaEnv.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"));
        } else {
            for (var entry : all.entrySet()) {
                if (services.containsKey(String.valueOf(module(entry.getValue())))) {
                    Object dependsOn = entry.getValue().get("depends_on");
                    Object condition = dependsOn instanceof Map<?, ?> map && map.get(topicsService) instanceof Map<?, ?> c
                            ? c.get("condition") : null;
                    if (!"service_completed_successfully".equals(condition)) {
                        problems.add(entry.getKey() + ": should depend on " + topicsService
                                + " with condition service_completed_successfully (its topics must exist)");
                    }
                }
            }
        }
        return problems;
    }

    private static void checkBootstrap(String name, Map<String, String> env, String advertised, List<String> problems) {
        String bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap != null && !bootstrap.equals(advertised)) {
            problems.add(name + ": KAFKA_BOOTSTRAP_SERVERS " + bootstrap + " is not the broker's advertised " + advertised);
        }
    }

    private static void checkDatabase(String name, Map<String, String> env, ServiceSettings settings, String postgresName,
            Map<String, String> postgresEnv, List<String> problems) {
        String urlEnv = settings.envOf("spring.datasource.url");
        if (urlEnv == null || env.get(urlEnv) == null) {
            return;
        }
        Matcher url = JDBC.matcher(env.get(urlEnv));
        if (!url.matches()) {
            problems.add(name + ": " + urlEnv + " " + env.get(urlEnv) + " is not a PostgreSQL JDBC URL");
            return;
        }
        String database = postgresEnv.getOrDefault("POSTGRES_DB", postgresEnv.getOrDefault("POSTGRES_USER", "postgres"));
        if (!url.group(1).equals(postgresName) || !url.group(3).equals(database)) {
            problems.add(name + ": " + urlEnv + " points at " + url.group(1) + "/" + url.group(3) + ", compose runs "
                    + postgresName + "/" + database);
        }
        String user = settings.envOf("spring.datasource.username");
        if (user != null && !Objects.equals(env.get(user), postgresEnv.getOrDefault("POSTGRES_USER", "postgres"))) {
            problems.add(name + ": " + user + " " + env.get(user) + " is not " + postgresName + "'s user");
        }
        String password = settings.passwordEnv();
        if (password != null && !Objects.equals(env.get(password), postgresEnv.get("POSTGRES_PASSWORD"))) {
            problems.add(name + ": " + password + " differs from " + postgresName + "'s POSTGRES_PASSWORD");
        }
    }

    /** The module a service runs: {@code build.args.SERVICE}, or the name of a {@code jettyspeed/<module>} image. */
    @SuppressWarnings("unchecked")
    private static String module(Map<String, Object> service) {
        if (service.get("build") instanceof Map<?, ?> build && build.get("args") instanceof Map<?, ?> args
                && args.get("SERVICE") != null) {
            return String.valueOf(args.get("SERVICE"));
        }
        Object image = service.get("image");
        return image != null && String.valueOf(image).startsWith("jettyspeed/") ? KubernetesManifests.module(String.valueOf(image)) : null;
    }

    /** {@code environment} as a map (Compose allows a map or a list of {@code KEY=value}). */
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object environment = service.get("environment");
        if (environment instanceof Map<?, ?> map) {
            map.forEach((key, value) -> env.put(String.valueOf(key), value == null ? null : String.valueOf(value)));
        } else if (environment instanceof List<?> list) {
            for (Object item : list) {
                String text = String.valueOf(item);
                int equals = text.indexOf('=');
                env.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? null : text.substring(equals + 1));
            }
        }
        return env;
    }

    private static String plaintextListener(String listeners) {
        if (listeners == null) {
            return null;
        }
        for (String listener : listeners.split(",")) {
            if (listener.startsWith("PLAINTEXT://")) {
                return listener.substring("PLAINTEXT://".length());
            }
        }
        return null;
    }
}
