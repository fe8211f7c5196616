package io.jettyspeed.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class GroupLagTest {

    static final TopicPartition IN0 = new TopicPartition("b3.eos.jetty.chunk-events.v1", 0);
    static final TopicPartition IN1 = new TopicPartition("b3.eos.jetty.chunk-events.v1", 1);
    static final TopicPartition REPARTITION = new TopicPartition(
            "b3.eos.processors-edge-health-edge-chunks-by-edge-repartition", 0);
    static final TopicPartition OUT = new TopicPartition("b3.eos.jetty.edge-health.v1", 0);

    @Test
    void shouldSeeTheSubTopologyBehindARepartitionTopicStillWorking() {
        // given: the source partitions are done, the repartition topic of the same application is not
        Map<TopicPartition, Long> ends = Map.of(IN0, 100L, IN1, 50L, REPARTITION, 80L, OUT, 20L);
        Map<String, Map<TopicPartition, Long>> committed = Map.of(
                "b3.eos.processors-edge-health", Map.of(IN0, 100L, IN1, 50L, REPARTITION, 60L));

        // when
        List<GroupLag.Lagging> lagging = GroupLag.of(ends, committed, Set.of(), l -> false);

        // then: the output topic nobody reads is no lag
        assertThat(lagging).containsExactly(new GroupLag.Lagging("b3.eos.processors-edge-health", REPARTITION, 60, 80));
        assertThat(GroupLag.total(lagging)).isEqualTo(20);
    }

    @Test
    void shouldCountAPartitionAGroupNeverCommittedWhenItReadsItsTopic() {
        // given: the group committed partition 0 of the topic; partition 1 got its first records since
        Map<TopicPartition, Long> ends = Map.of(IN0, 100L, IN1, 7L);
        Map<String, Map<TopicPartition, Long>> committed = Map.of("g", Map.of(IN0, 100L));

        // then
        assertThat(GroupLag.of(ends, committed, Set.of(), l -> false)).containsExactly(new GroupLag.Lagging("g", IN1, 0, 7));
    }

    @Test
    void shouldWaitForARequiredTopicNoGroupHasReadYet() {
        // given: records on an input topic, and no group has committed anything on it
        Map<TopicPartition, Long> ends = Map.of(IN0, 10L, IN1, 0L);

        // then: empty partitions are not lag
        assertThat(GroupLag.of(ends, Map.of("g", Map.of()), Set.of(IN0.topic()), l -> false))
                .containsExactly(new GroupLag.Lagging(GroupLag.NO_GROUP, IN0, 0, 10));
        assertThat(GroupLag.of(ends, Map.of("g", Map.of(IN0, 10L)), Set.of(IN0.topic()), l -> false)).isEmpty();
    }

    @Test
    void shouldNotCountTransactionMarkersAsLag() {
        // given: a consumer that commits last offset + 1 on a transactional topic stays one short of the end
        Map<TopicPartition, Long> ends = Map.of(OUT, 21L);
        Map<String, Map<TopicPartition, Long>> committed = Map.of("b6.live.sink", Map.of(OUT, 20L));

        // then
        assertThat(GroupLag.of(ends, committed, Set.of(), l -> l.lag() == 1)).isEmpty();
        assertThat(GroupLag.of(ends, committed, Set.of(), l -> false)).hasSize(1);
    }

    @Test
    void shouldDescribeLagForTheLog() {
        assertThat(GroupLag.describe(List.of())).isEqualTo("0");
        assertThat(GroupLag.describe(List.of(new GroupLag.Lagging("g", IN0, 1, 1_501))))
                .isEqualTo("1,500 records on 1 partitions (g b3.eos.jetty.chunk-events.v1-0: 1500)");
    }
}
