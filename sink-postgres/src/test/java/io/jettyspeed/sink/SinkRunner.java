package io.jettyspeed.sink;

import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.testing.PostgresSchema;
import io.jettyspeed.testing.SharedKafka;
import io.jettyspeed.testing.SqlRows;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts sink instances for the integration tests, each in a Spring context of its own, on the
 * shared broker and a PostgreSQL schema of the test's, and reads what they wrote and report.
 */
final class SinkRunner {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final PostgresSchema postgres;
    private final List<String> schemas = new ArrayList<>();

    SinkRunner(PostgresSchema postgres) {
        this.postgres = postgres;
    }

    /** A fresh, empty schema (the sink migrates it), dropped by {@link #dropSchemas()}. */
    String newSchema() throws SQLException {
        String schema = SharedKafka.uniqueId("sink").replace('-', '_');
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        schemas.add(schema);
        return schema;
    }

    void dropSchemas() throws SQLException {
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            for (String schema : schemas) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    ConfigurableApplicationContext start(String schema, Topics topics, String group, String... settings) {
        return start(schema, topics, group, null, settings);
    }

    /** A sink on {@code topics}, writing {@code schema}, in consumer group {@code group}, with an optional hook. */
    ConfigurableApplicationContext start(String schema, Topics topics, String group, BatchHook hook, String... settings) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + url(schema),
                "--spring.flyway.schemas=" + schema,
                "--spring.kafka.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                "--jetty.sink.topic-prefix=" + topics.prefix(),
                "--jetty.sink.group-id=" + group + "-" + schema,
                "--jetty.sink.check-interval=250ms",
                // Instances in one JVM share the host name, the default instance id: each gets its own.
                "--jetty.sink.instance-id=" + SharedKafka.uniqueId("sink")));
        for (String setting : settings) {
            // a setting given by the test replaces the default (repeated options would be joined with commas)
            String key = setting.substring(0, setting.indexOf('=') + 1);
            args.removeIf(arg -> arg.startsWith(key));
            args.add(setting);
        }
        var builder = SinkApplication.builder();
        if (hook != null) {
            builder.initializers(context -> context.getBeanFactory().registerSingleton("testBatchHook", hook));
        }
        return builder.run(args.toArray(String[]::new));
    }

    String url(String schema) {
        return postgres.jdbcUrl().replace("currentSchema=" + postgres.schema(), "currentSchema=" + schema);
    }

    Connection connect(String schema) throws SQLException {
        return java.sql.DriverManager.getConnection(url(schema), postgres.user(), postgres.password());
    }

    List<String> rows(String schema, String sql) throws SQLException {
        return SqlRows.query(url(schema), postgres.user(), postgres.password(), sql);
    }

    long count(String schema, String sql) throws SQLException {
        List<String> result = rows(schema, sql);
        return result.isEmpty() || result.get(0).equals("null") ? 0 : Long.parseLong(result.get(0));
    }

    /** {@code sink_offsets} as topic-partition → next offset (0 where nothing is stored). */
    Map<TopicPartition, Long> storedOffsets(String schema) throws SQLException {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (String row : rows(schema, "SELECT topic, partition, coalesce(next_offset, 0) FROM sink_offsets")) {
            String[] parts = row.split("\\|");
            offsets.put(new TopicPartition(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
        }
        return offsets;
    }

    /** The end offset of every partition of {@code topics}. */
    static Map<TopicPartition, Long> endOffsets(List<Topic<String, ?>> topics) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic<String, ?> topic : topics) {
                for (int p = 0; p < topic.partitions(); p++) {
                    partitions.add(new TopicPartition(topic.name(), p));
                }
            }
            return consumer.endOffsets(partitions);
        }
    }

    /** The readiness probe as Kubernetes sees it: status code and the JSON body. */
    static Probe readiness(ConfigurableApplicationContext sink) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
                    "http://localhost:" + port(sink) + "/actuator/health/readiness")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return new Probe(response.statusCode(), JSON.readTree(response.body()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String prometheus(ConfigurableApplicationContext sink) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port(sink) + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sum of the Prometheus samples starting with {@code nameAndLabels}, e.g. {@code name{reason="X"}. */
    static double metric(ConfigurableApplicationContext sink, String nameAndLabels) {
        return prometheus(sink).lines()
                .filter(line -> line.startsWith(nameAndLabels) && line.length() > nameAndLabels.length()
                        && " {,}".indexOf(line.charAt(nameAndLabels.length())) >= 0)
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static int port(ConfigurableApplicationContext sink) {
        return Integer.parseInt(sink.getEnvironment().getProperty("local.server.port"));
    }

    /** A probe answer. */
    record Probe(int status, JsonNode body) {

        JsonNode sink() {
            return body.path("components").path("sink");
        }

        String reason() {
            return sink().path("details").path("reason").asString("");
        }

        boolean up() {
            return status == 200 && "UP".equals(body.path("status").asString());
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
