package io.jettyspeed.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void shouldDefineEveryIngestTopicWithSixPartitionsAndADeadLetterTopic() {
        Topics topics = Topics.standard();

        assertThat(topics.ingestTopics()).extracting(Topic::name).containsExactly(
                "jetty.upload-events.v1", "jetty.chunk-events.v1", "jetty.edge-metrics.v1", "jetty.dedup-checks.v1");
        assertThat(topics.all()).allMatch(topic -> topic.partitions() == 6);
        assertThat(topics.all()).extracting(Topic::name).contains("jetty.chunk-events.v1-dlt");
    }

    @Test
    void shouldPrefixEveryNameSoTestsGetTopicsOfTheirOwn() {
        Topics topics = Topics.of("it-42.", 3);

        assertThat(topics.all()).extracting(Topic::name).allMatch(name -> name.startsWith("it-42."));
        assertThat(topics.uploadEvents().partitions()).isEqualTo(3);
    }

    @Test
    void shouldCreateTopicsWithTheirReplicationAndMinInsyncReplicasAndCompactAggregates() {
        Topics topics = Topics.standard();

        var sessions = topics.uploadSessions().toNewTopic(Topics.Replication.PRODUCTION);
        var chunks = topics.chunkEvents().toNewTopic(Topics.Replication.SINGLE_NODE);

        assertThat(sessions.numPartitions()).isEqualTo(6);
        assertThat(sessions.replicationFactor()).isEqualTo((short) 3);
        assertThat(sessions.configs()).containsEntry("min.insync.replicas", "2").containsEntry("cleanup.policy", "compact");
        assertThat(chunks.replicationFactor()).isEqualTo((short) 1);
        assertThat(chunks.configs()).containsEntry("min.insync.replicas", "1").containsEntry("cleanup.policy", "delete");
    }

    @Test
    void shouldTakePartitionsPrefixAndReplicationFromTheEnvironmentWithProductionDefaults() {
        assertThat(Topics.fromEnvironment(Map.of()).partitions()).isEqualTo(6);
        assertThat(Topics.Replication.fromEnvironment(Map.of())).isEqualTo(Topics.Replication.PRODUCTION);

        Topics topics = Topics.fromEnvironment(Map.of("JETTY_PARTITIONS", "12", "JETTY_TOPIC_PREFIX", "acme."));
        assertThat(topics.all()).allMatch(topic -> topic.partitions() == 12 && topic.name().startsWith("acme."));
        assertThat(Topics.Replication.fromEnvironment(Map.of("JETTY_REPLICATION_FACTOR", "1")))
                .isEqualTo(Topics.Replication.SINGLE_NODE);
        assertThat(Topics.Replication.fromEnvironment(Map.of("JETTY_REPLICATION_FACTOR", "5",
                "JETTY_MIN_INSYNC_REPLICAS", "3"))).isEqualTo(Topics.Replication.of(5, 3));
    }

    @Test
    void shouldRefuseSettingsThatCannotWork() {
        assertThatThrownBy(() -> Topics.Replication.of(2, 3)).hasMessageContaining("min.insync.replicas");
        assertThatThrownBy(() -> Topics.fromEnvironment(Map.of("JETTY_PARTITIONS", "zero")))
                .hasMessageContaining("JETTY_PARTITIONS");
    }
}
