package io.jettyspeed.tools;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs the command line in this JVM against a given cluster and keeps what it printed. */
public final class Cli {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Cli() {
    }

    public record Run(int status, String out, String err) {

        /** Standard output, one JSON object per line. */
        public List<JsonNode> json() {
            return out.lines().map(MAPPER::readTree).toList();
        }
    }

    public static Run run(String bootstrapServers, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Jettyspeed.run(args, Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC());
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
