package io.jettyspeed.local;

import io.jettyspeed.gateway.GatewayApplication;
import io.jettyspeed.processors.StreamProcessorsApplication;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.sink.SinkApplication;
import io.jettyspeed.testing.PostgresSchema;
import io.jettyspeed.testing.SharedKafka;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The three services as the in-process pipeline ITs start them: each in a Spring context of its
 * own, on free HTTP ports, the shared broker and the test's topics; the gateway and the sink on the
 * test class's PostgreSQL schema (or, for a sink, another schema of the same database).
 */
final class InProcessServices {

    private InProcessServices() {
    }

    static ConfigurableApplicationContext gateway(Topics topics, PostgresSchema postgres) {
        return GatewayApplication.builder().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                "--jetty.gateway.topic-prefix=" + topics.prefix(),
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.flyway.schemas=" + postgres.schema());
    }

    /** Processors in Streams application {@code applicationId}, with a fresh state folder and no database. */
    static ConfigurableApplicationContext processors(Topics topics, String applicationId, String... settings)
            throws Exception {
        return run(StreamProcessorsApplication.builder(), List.of(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                "--jetty.processors.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                "--jetty.processors.application-id=" + applicationId,
                "--jetty.processors.topic-prefix=" + topics.prefix(),
                "--jetty.processors.state-dir=" + Files.createTempDirectory(applicationId + "-streams"),
                // Instances in one JVM share the host name, the default instance id: each gets its own.
                "--jetty.processors.instance-id=" + SharedKafka.uniqueId("processors"),
                "--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                        + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"), settings);
    }

    /** A sink writing {@code schema} of the test's database, in consumer group {@code groupId}. */
    static ConfigurableApplicationContext sink(Topics topics, PostgresSchema postgres, String schema, String groupId,
            String... settings) {
        return run(SinkApplication.builder(), List.of(
                "--server.port=0",
                "--spring.datasource.url=" + postgres.jdbcUrl(schema),
                "--spring.flyway.schemas=" + schema,
                "--spring.kafka.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                "--jetty.sink.topic-prefix=" + topics.prefix(),
                "--jetty.sink.group-id=" + groupId,
                "--jetty.sink.instance-id=" + SharedKafka.uniqueId("sink")), settings);
    }

    /** Closes the contexts that were started, in the order given (last started first). */
    static void close(ConfigurableApplicationContext... contexts) {
        for (ConfigurableApplicationContext context : contexts) {
            if (context != null) {
                context.close();
            }
        }
    }

    static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static ConfigurableApplicationContext run(SpringApplicationBuilder builder,
            List<String> common, String... settings) {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of(settings));
        return builder.run(args.toArray(String[]::new));
    }
}
