package io.jettyspeed.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.yaml.snakeyaml.Yaml;

/**
 * The raw side of rows 1 and 2: a plain {@link KafkaProducer} with the gateway's producer settings,
 * read from the gateway's own {@code api-gateway.yml} ({@code spring.kafka.producer.*}), so the two
 * sides never differ in acks, idempotence, linger or batching. {@code bench.linger.ms} overrides
 * linger on both sides at once.
 */
public final class GatewayProducer {

    private GatewayProducer() {
    }

    /** The settings the gateway's producer runs with (acks=all and idempotence are not negotiable there). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> settings(String lingerOverride) {
        Map<String, Object> config = new java.util.TreeMap<>();
        try (InputStream in = GatewayProducer.class.getClassLoader().getResourceAsStream("api-gateway.yml")) {
            // The first document holds the defaults; later ones are profile-specific (local).
            Map<String, Object> yml = in == null ? Map.of()
                    : (Map<String, Object>) new Yaml().loadAll(in).iterator().next();
            Map<String, Object> producer = (Map<String, Object>) path(yml, "spring", "kafka", "producer");
            if (producer != null) {
                producer.forEach((key, value) -> {
                    if (key.equals("properties") && value instanceof Map<?, ?> properties) {
                        properties.forEach((k, v) -> config.put(k.toString(), resolve(v.toString())));
                    } else if (!(value instanceof Map)) {
                        config.put(key.replace('-', '.'), resolve(value.toString()));
                    }
                });
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read api-gateway.yml", e);
        }
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        if (!lingerOverride.isBlank()) {
            config.put(ProducerConfig.LINGER_MS_CONFIG, lingerOverride);
        }
        return config;
    }

    public static KafkaProducer<String, byte[]> create(String bootstrap, String lingerOverride) {
        Map<String, Object> config = new HashMap<>(settings(lingerOverride));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-raw");
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** {@code ${NAME:default}} as Spring resolves it: the environment variable, else the default. */
    static String resolve(String value) {
        var m = java.util.regex.Pattern.compile("\\$\\{([^:}]+)(?::([^}]*))?}").matcher(value.trim());
        if (!m.matches()) {
            return value;
        }
        String env = System.getenv(m.group(1));
        return env != null ? env : m.group(2) == null ? "" : m.group(2);
    }

    private static Object path(Map<String, Object> map, String... keys) {
        Object current = map;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }
}
