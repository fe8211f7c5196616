package io.jettyspeed.tools.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.schemas.Topics;
import io.jettyspeed.testing.SharedKafka;
import io.jettyspeed.tools.Cli;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code ./jettyspeed topics} on the 3-node cluster, and refused on one broker. */
class TopicsIT {

    @Test
    void shouldCreateTheWholeCatalogueReplicatedAndThenFindItInPlace() throws Exception {
        // given a cluster of three and a prefix of our own
        String kafka = SharedKafka.cluster().bootstrapServers();
        String prefix = SharedKafka.uniqueId("ops") + ".";
        Topics catalogue = Topics.of(prefix, 6);

        // when the command runs twice with the production defaults
        Cli.Run first = Cli.run(kafka, "topics", "--prefix", prefix);
        Cli.Run second = Cli.run(kafka, "topics", "--prefix", prefix);

        // then every topic was created once, with RF 3, min ISR 2, compaction on the aggregates, 6 partitions
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.json()).hasSize(catalogue.all().size()).allSatisfy(line -> {
            assertThat(line.get("action").asString()).isEqualTo("created");
            assertThat(line.get("replicationFactor").asInt()).isEqualTo(3);
            assertThat(line.get("minInsyncReplicas").asInt()).isEqualTo(2);
        });
        assertThat(first.err()).contains("18 created");
        assertThat(second.status()).isZero();
        assertThat(second.json()).extracting(line -> line.get("action").asString()).containsOnly("exists");
        try (Admin admin = SharedKafka.cluster().admin()) {
            var described = admin.describeTopics(catalogue.all().stream().map(t -> t.name()).toList()).allTopicNames().get();
            assertThat(described.values()).allSatisfy(topic -> {
                assertThat(topic.partitions()).hasSize(6);
                assertThat(topic.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            });
            var sessions = new ConfigResource(ConfigResource.Type.TOPIC, catalogue.uploadSessions().name());
            var chunkLetters = new ConfigResource(ConfigResource.Type.TOPIC, catalogue.deadLetters(catalogue.chunkEvents()).name());
            var configs = admin.describeConfigs(List.of(sessions, chunkLetters)).all().get();
            assertThat(configs.get(sessions).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(sessions).get("min.insync.replicas").value()).isEqualTo("2");
            assertThat(configs.get(chunkLetters).get("cleanup.policy").value()).isEqualTo("delete");
        }
    }

    @Test
    void shouldReportATopicThatDiffersFromTheCatalogueAndLeaveItAlone() throws Exception {
        // given one catalogue topic made by hand with 3 partitions, one replica and no compaction
        String kafka = SharedKafka.cluster().bootstrapServers();
        String prefix = SharedKafka.uniqueId("ops") + ".";
        String sessions = Topics.of(prefix, 6).uploadSessions().name();
        try (Admin admin = SharedKafka.cluster().admin()) {
            admin.createTopics(List.of(new NewTopic(sessions, 3, (short) 1))).all().get();
        }

        // when
        Cli.Run dryRun = Cli.run(kafka, "topics", "--prefix", prefix, "--dry-run");
        Cli.Run run = Cli.run(kafka, "topics", "--prefix", prefix);

        // then it is reported with every difference, exit status 3, and nothing about it changed
        assertThat(dryRun.json()).filteredOn(line -> !line.get("topic").asString().equals(sessions))
                .extracting(line -> line.get("action").asString()).containsOnly("would-create");
        assertThat(run.status()).isEqualTo(TopicsCommand.DIFFERS);
        JsonNode differs = run.json().stream().filter(line -> line.get("topic").asString().equals(sessions)).findFirst()
                .orElseThrow();
        assertThat(differs.get("action").asString()).isEqualTo("differs");
        // (min.insync.replicas is the cluster's default, 2, as the catalogue wants)
        assertThat(differs.get("differences")).extracting(JsonNode::asString).containsExactly(
                "partitions 3, catalogue 6", "replication factor 1, catalogue 3", "cleanup.policy delete, catalogue compact");
        assertThat(run.err()).contains("1 differ from the catalogue and were left as they are");
        try (Admin admin = SharedKafka.cluster().admin()) {
            assertThat(admin.describeTopics(List.of(sessions)).allTopicNames().get().get(sessions).partitions()).hasSize(3);
        }
    }

    @Test
    void shouldRefuseAReplicationFactorTheClusterCannotHold() {
        // given the single broker
        String kafka = SharedKafka.bootstrapServers();

        // when
        Cli.Run run = Cli.run(kafka, "topics", "--prefix", SharedKafka.uniqueId("ops") + ".");

        // then
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err().lines()).containsExactly("jettyspeed topics: replication factor 3 needs at least that many"
                + " brokers; " + kafka + " has 1 (a one-broker cluster takes --replication-factor 1 --min-insync-replicas 1)");
    }

    @Test
    void shouldCreateTheCatalogueOnOneBrokerWithReplicationOne() {
        Cli.Run run = Cli.run(SharedKafka.bootstrapServers(), "topics", "--prefix", SharedKafka.uniqueId("ops") + ".",
                "--replication-factor", "1", "--partitions", "2");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.json()).allSatisfy(line -> {
            assertThat(line.get("partitions").asInt()).isEqualTo(2);
            assertThat(line.get("minInsyncReplicas").asInt()).isEqualTo(1);
        });
        Map<String, Long> compacted = new java.util.HashMap<>();
        run.json().forEach(line -> compacted.merge(line.get("cleanupPolicy").asString(), 1L, Long::sum));
        assertThat(compacted).containsEntry("compact", 4L).containsEntry("delete", 14L);
    }
}
