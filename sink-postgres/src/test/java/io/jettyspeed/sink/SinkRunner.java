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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sink integration tests' one fixture, an instance {@code @RegisterExtension} field (one per test):
 * fresh topics on the shared broker and a producer to them, a fresh PostgreSQL schema of the test's
 * ({@link #schema}; more from {@link #newSchema}), sink instances each in a Spring context of its own
 * writing one of them, and what they wrote and report. The producer is closed and the schemas
 * dropped after each test.
 */
final class SinkRunner implements BeforeEachCallback, AfterEachCallback {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final PostgresSchema postgres = new PostgresSchema();
    private final Topics topics = SharedKafka.freshTopics();
    private final List<String> schemas = new ArrayList<>();
    private KafkaProducer<String, byte[]> producer;

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        // a test's own schema, made and dropped as PostgresSchema makes one for a class
        postgres.beforeAll(context);
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        producer.close();
        dropSchemas();
        postgres.afterAll(context);
    }

    /** This test's topics, fresh on the shared broker. */
    Topics topics() {
        return topics;
    }

    /** Sends {@code value} serialized as the topic's values are, and waits for the broker's acknowledgement. */
    <V> RecordMetadata send(Topic<String, V> topic, String key, V value) throws Exception {
        return send(new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value)));
    }

    /** Sends a record as it is (bytes the sink may not decode, headers), and waits for the acknowledgement. */
    RecordMetadata send(ProducerRecord<String, byte[]> record) throws Exception {
        return producer.send(record).get();
    }

    /** This test's schema, fresh and empty (the sink migrates it), dropped after the test. */
    String schema() {
        return postgres.schema();
    }

    /** Another fresh, empty schema, dropped after the test. */
    String newSchema() throws SQLException {
        String schema = SharedKafka.uniqueId("sink").replace('-', '_');
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        schemas.add(schema);
        return schema;
    }

    private void dropSchemas() throws SQLException {
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            for (String schema : schemas) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    /** A sink on this test's topics, writing this test's schema, in consumer group {@code group}. */
    ConfigurableApplicationContext start(String group, String... settings) {
        return startOn(schema(), group, null, settings);
    }

    /** The same, with a hook. */
    ConfigurableApplicationContext start(String group, BatchHook hook, String... settings) {
        return startOn(schema(), group, hook, settings);
    }

    /** A sink on this test's topics, writing {@code schema}, in consumer group {@code group}, with an optional hook. */
    ConfigurableApplicationContext startOn(String schema, String group, BatchHook hook, String... settings) {
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

    String url() {
        return url(schema());
    }

    String url(String schema) {
        return postgres.jdbcUrl(schema);
    }

    Connection connect() throws SQLException {
        return connect(schema());
    }

    Connection connect(String schema) throws SQLException {
        return java.sql.DriverManager.getConnection(url(schema), postgres.user(), postgres.password());
    }

    /** The rows of a query in this test's schema, each as its columns joined with {@code |}. */
    List<String> rows(String sql) throws SQLException {
        return rows(schema(), sql);
    }

    List<String> rows(String schema, String sql) throws SQLException {
        return SqlRows.query(url(schema), postgres.user(), postgres.password(), sql);
    }

    long count(String sql) throws SQLException {
        return count(schema(), sql);
    }

    long count(String schema, String sql) throws SQLException {
        List<String> result = rows(schema, sql);
        return result.isEmpty() || result.get(0).equals("null") ? 0 : Long.parseLong(result.get(0));
    }

    /** {@code sink_offsets} of this test's schema as topic-partition → next offset (0 where nothing is stored). */
    Map<TopicPartition, Long> storedOffsets() throws SQLException {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (String row : rows("SELECT topic, partition, coalesce(next_offset, 0) FROM sink_offsets")) {
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
