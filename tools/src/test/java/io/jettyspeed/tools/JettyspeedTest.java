package io.jettyspeed.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line's contract without a broker: usage, and one line for every failure. */
class JettyspeedTest {

    @Test
    void shouldPrintUsageForHelpAndExitZero() {
        Run run = run("tail", "--help");

        assertThat(run.status).isZero();
        assertThat(run.out).startsWith("usage: ./jettyspeed tail <topic>");
    }

    @Test
    void shouldAnswerAnUnknownCommandOrOptionWithOneLineAndAHint() {
        Run command = run("tale", "x");
        Run option = run("tail", "jetty.chunk-events.v1", "--colour", "red");
        Run reason = run("dlt", "show", "jetty.chunk-events.v1", "--reason", "BAD_LUCK");

        assertThat(command.status).isEqualTo(2);
        assertThat(command.err).startsWith("jettyspeed tale: unknown command tale");
        assertThat(option.status).isEqualTo(2);
        assertThat(option.err.lines()).containsExactly("jettyspeed tail: unknown option --colour",
                "(./jettyspeed tail --help for usage)");
        assertThat(reason.err).contains("--reason must be one of UNDECODABLE, UNKNOWN_SCHEMA");
    }

    @Test
    void shouldSayInOneLineThatTheBrokerCannotBeReached() {
        Run tail = run("tail", "jetty.chunk-events.v1", "--bootstrap-servers", "localhost:1", "--timeout", "1s");
        Run topics = run("topics", "--timeout", "1s");

        assertThat(tail.status).isEqualTo(1);
        assertThat(tail.err.lines()).containsExactly(
                "jettyspeed tail: cannot reach Kafka at localhost:1 within 1 s (set --bootstrap-servers or KAFKA_BOOTSTRAP_SERVERS)");
        assertThat(tail.out).isEmpty();
        assertThat(topics.err.lines()).as("KAFKA_BOOTSTRAP_SERVERS from the environment").containsExactly(
                "jettyspeed topics: cannot reach Kafka at localhost:2 within 1 s (set --bootstrap-servers or KAFKA_BOOTSTRAP_SERVERS)");
    }

    @Test
    void shouldSayInOneLineThatABootstrapAddressDoesNotResolve() {
        Run run = run("dlt", "list", "--bootstrap-servers", "no-such-host.invalid:9092", "--timeout", "1s");

        assertThat(run.status).isEqualTo(1);
        assertThat(run.err.lines()).hasSize(1).first().asString().startsWith("jettyspeed dlt: cannot ");
    }

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Jettyspeed.run(args, Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:2"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC());
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
