package io.jettyspeed.tools.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jettyspeed.schemas.Topics;
import io.jettyspeed.tools.Args;
import io.jettyspeed.tools.ToolException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

class TopicsCommandTest {

    private static final Set<String> OPTIONS = Set.of("--bootstrap-servers", "--partitions", "--replication-factor",
            "--min-insync-replicas", "--prefix", "--timeout");

    @Test
    void shouldDefaultToProductionReplicationAndTheCataloguePartitions() {
        TopicsCommand.Plan plan = TopicsCommand.plan(args(), Map.of());

        assertThat(plan.replication()).isEqualTo(Topics.Replication.PRODUCTION);
        assertThat(plan.topics().partitions()).isEqualTo(6);
        assertThat(plan.topics().prefix()).isEmpty();
        assertThat(plan.dryRun()).isFalse();
    }

    @Test
    void shouldTakeTheEnvironmentAndLetOptionsOverrideIt() {
        Map<String, String> env = Map.of("JETTY_PARTITIONS", "12", "JETTY_TOPIC_PREFIX", "acme.",
                "JETTY_REPLICATION_FACTOR", "5", "JETTY_MIN_INSYNC_REPLICAS", "3");

        TopicsCommand.Plan fromEnv = TopicsCommand.plan(args(), env);
        TopicsCommand.Plan overridden = TopicsCommand.plan(args("--partitions", "3", "--replication-factor", "1",
                "--prefix", "t.", "--dry-run"), env);

        assertThat(fromEnv.topics().partitions()).isEqualTo(12);
        assertThat(fromEnv.topics().prefix()).isEqualTo("acme.");
        assertThat(fromEnv.replication()).isEqualTo(Topics.Replication.of(5, 3));
        assertThat(overridden.topics().partitions()).isEqualTo(3);
        assertThat(overridden.topics().prefix()).isEqualTo("t.");
        assertThat(overridden.replication()).as("a factor of 1 brings the default minimum down with it")
                .isEqualTo(Topics.Replication.SINGLE_NODE);
        assertThat(overridden.dryRun()).isTrue();
    }

    @Test
    void shouldRefuseAMinimumAboveTheReplicationFactor() {
        assertThatThrownBy(() -> TopicsCommand.plan(args("--replication-factor", "2", "--min-insync-replicas", "3"), Map.of()))
                .isInstanceOf(ToolException.class).hasMessageContaining("min.insync.replicas must be between 1 and the replication factor 2");
        assertThatThrownBy(() -> TopicsCommand.plan(args("extra"), Map.of())).hasMessage("unexpected argument extra");
    }

    @Test
    void shouldListEveryWayAnExistingTopicDiffersFromTheCatalogue() {
        var sessions = Topics.standard().uploadSessions();
        TopicDescription description = new TopicDescription(sessions.name(), false, IntStream.range(0, 3)
                .mapToObj(p -> new TopicPartitionInfo(p, node(1), List.of(node(1)), List.of(node(1)))).toList());
        Config config = new Config(List.of(new ConfigEntry("cleanup.policy", "delete"),
                new ConfigEntry("min.insync.replicas", "1")));

        List<String> differences = TopicsCommand.differences(sessions, Topics.Replication.PRODUCTION, description, config);

        assertThat(differences).containsExactly("partitions 3, catalogue 6", "replication factor 1, catalogue 3",
                "cleanup.policy delete, catalogue compact", "min.insync.replicas 1, catalogue 2");
    }

    @Test
    void shouldFindNoDifferenceInATopicCreatedFromTheCatalogue() {
        var chunks = Topics.standard().chunkEvents();
        List<Node> replicas = List.of(node(1), node(2), node(3));
        TopicDescription description = new TopicDescription(chunks.name(), false, IntStream.range(0, 6)
                .mapToObj(p -> new TopicPartitionInfo(p, node(1), replicas, replicas)).toList());
        Config config = new Config(List.of(new ConfigEntry("cleanup.policy", "delete"),
                new ConfigEntry("min.insync.replicas", "2")));

        assertThat(TopicsCommand.differences(chunks, Topics.Replication.PRODUCTION, description, config)).isEmpty();
    }

    private static Node node(int id) {
        return new Node(id, "localhost", 9090 + id);
    }

    private static Args args(String... args) {
        return Args.parse(List.of(args), OPTIONS, Set.of("--dry-run"));
    }
}
