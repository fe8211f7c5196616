package io.jettyspeed.tools.repartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jettyspeed.tools.Args;
import io.jettyspeed.tools.Cli;
import io.jettyspeed.tools.ToolException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The command line of {@code ./jettyspeed repartition} without a broker: what it asks for, and one line per error. */
class RepartitionCommandTest {

    private static final Set<String> OPTIONS = Set.of("--bootstrap-servers", "--from-prefix", "--to-prefix",
            "--partitions", "--timeout");

    @Test
    void shouldCopyBetweenTheTwoGenerationsWithTheCataloguePartitionsByDefault() {
        RepartitionCommand.Plan plan = RepartitionCommand.plan(args("--from-prefix", "", "--to-prefix", "g2."), Map.of());

        assertThat(plan.from().prefix()).isEmpty();
        assertThat(plan.to().prefix()).isEqualTo("g2.");
        assertThat(plan.to().partitions()).isEqualTo(6);
        assertThat(plan.dryRun()).isFalse();
        assertThat(plan.from().ingestTopics()).extracting(t -> t.name()).containsExactly("jetty.upload-events.v1",
                "jetty.chunk-events.v1", "jetty.edge-metrics.v1", "jetty.dedup-checks.v1");
        assertThat(plan.to().ingestTopics()).extracting(t -> t.name()).allMatch(name -> name.startsWith("g2.jetty."));
    }

    @Test
    void shouldTakeThePartitionsFromTheEnvironmentAndLetTheOptionOverrideThem() {
        Map<String, String> env = Map.of("JETTY_PARTITIONS", "12");

        assertThat(RepartitionCommand.plan(args("--from-prefix=g1.", "--to-prefix=g2."), env).to().partitions()).isEqualTo(12);
        RepartitionCommand.Plan overridden = RepartitionCommand.plan(args("--from-prefix", "g1.", "--to-prefix", "g2.",
                "--partitions", "24", "--dry-run"), env);
        assertThat(overridden.to().partitions()).isEqualTo(24);
        assertThat(overridden.dryRun()).isTrue();
    }

    @Test
    void shouldKeepProgressPerPairOfGenerations() {
        assertThat(RepartitionCommand.progressGroup("", "g2.")).isEqualTo("jettyspeed-repartition_-_to_g2.");
        assertThat(RepartitionCommand.progressGroup("g2.", "g3.")).isEqualTo("jettyspeed-repartition_g2._to_g3.");
    }

    @Test
    void shouldRefuseWhatCannotBeACopyIntoANewGeneration() {
        assertUsage(args("--to-prefix", "g2."), Map.of(),
                "missing --from-prefix (the generation to copy from; '' for unprefixed topics)");
        assertUsage(args("--from-prefix", ""), Map.of(), "missing --to-prefix (the new generation, e.g. g2.)");
        assertUsage(args("--from-prefix", "g1.", "--to-prefix", " "), Map.of(),
                "--to-prefix is empty: the new generation needs a prefix of its own, e.g. g2.");
        assertUsage(args("--from-prefix", "g1.", "--to-prefix", "g1."), Map.of(),
                "--from-prefix and --to-prefix are both 'g1.': a generation cannot be repartitioned in place");
        assertUsage(args("--from-prefix", "", "--to-prefix", "g2.", "--partitions", "0"), Map.of(),
                "--partitions must be a whole number of at least 1, was '0'");
        assertUsage(args("--from-prefix", "", "--to-prefix", "g2."), Map.of("JETTY_PARTITIONS", "many"),
                "JETTY_PARTITIONS must be a whole number of at least 1, was 'many'");
        assertUsage(args("jetty.chunk-events.v1", "--from-prefix", "", "--to-prefix", "g2."), Map.of(),
                "unexpected argument jetty.chunk-events.v1");
    }

    @Test
    void shouldPrintOneLineAndTheUsageHintForABadArgumentAndTheUsageOnHelp() {
        Cli.Run bad = Cli.run("localhost:1", "repartition", "--from-prefix", "g1.", "--to-prefix", "g1.");
        Cli.Run help = Cli.run("localhost:1", "repartition", "--help");

        assertThat(bad.status()).isEqualTo(ToolException.USAGE);
        assertThat(bad.out()).isEmpty();
        assertThat(bad.err().lines()).containsExactly(
                "jettyspeed repartition: --from-prefix and --to-prefix are both 'g1.': a generation cannot be repartitioned in place",
                "(./jettyspeed repartition --help for usage)");
        assertThat(help.status()).isZero();
        assertThat(help.out()).startsWith("usage: ./jettyspeed repartition --from-prefix P --to-prefix Q");
    }

    @Test
    void shouldSayInOneLineThatKafkaIsUnreachable() {
        Cli.Run run = Cli.run("localhost:1", "repartition", "--from-prefix", "", "--to-prefix", "g2.", "--timeout", "1s");

        assertThat(run.status()).isEqualTo(ToolException.FAILED);
        assertThat(run.err().lines()).containsExactly(
                "jettyspeed repartition: cannot reach Kafka at localhost:1 within 1 s (set --bootstrap-servers or KAFKA_BOOTSTRAP_SERVERS)");
    }

    private static void assertUsage(Args args, Map<String, String> env, String message) {
        assertThatThrownBy(() -> RepartitionCommand.plan(args, env)).isInstanceOf(ToolException.class).hasMessage(message)
                .extracting(e -> ((ToolException) e).exitStatus()).isEqualTo(ToolException.USAGE);
    }

    private static Args args(String... args) {
        return Args.parse(List.of(args), OPTIONS, Set.of("--dry-run"));
    }
}
