package io.jettyspeed.gateway.state;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets of a make-believe cluster for the watermark's tests: topics with end offsets, groups with
 * committed offsets, views with positions, all moved by the test. {@link #betweenRequests} runs after
 * the end offsets were taken and before the committed offsets are read, as a processor committing
 * concurrently with a tick would.
 */
final class FakeOffsets implements OffsetsSource {

    final Map<TopicPartition, Long> ends = new HashMap<>();
    final Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();
    final Map<ViewKind, Map<TopicPartition, Long>> positions = new EnumMap<>(ViewKind.class);
    final Set<String> missingTopics = new java.util.HashSet<>();
    Runnable betweenRequests;
    RuntimeException failure;

    FakeOffsets(Set<String> topics, int partitions) {
        for (String topic : topics) {
            for (int p = 0; p < partitions; p++) {
                ends.put(new TopicPartition(topic, p), 0L);
            }
        }
    }

    /** A record appended to a partition (acknowledged); returns its offset. */
    long append(String topic, int partition) {
        return ends.merge(new TopicPartition(topic, partition), 1L, Long::sum) - 1;
    }

    void commit(String group, String topic, int partition, long offset) {
        committed.computeIfAbsent(group, g -> new HashMap<>()).put(new TopicPartition(topic, partition), offset);
    }

    /** The group commits the end of every partition of the topic (it processed everything). */
    void commitAll(String group, String topic) {
        ends.forEach((partition, end) -> {
            if (partition.topic().equals(topic)) {
                commit(group, topic, partition.partition(), end);
            }
        });
    }

    /** The view reads everything of its topic. */
    void read(ViewKind view, String topic) {
        ends.forEach((partition, end) -> {
            if (partition.topic().equals(topic)) {
                positions.computeIfAbsent(view, v -> new HashMap<>()).put(partition, end);
            }
        });
    }

    Map<TopicPartition, Long> positions(ViewKind view) {
        return Map.copyOf(positions.getOrDefault(view, Map.of()));
    }

    @Override
    public CompletableFuture<Map<TopicPartition, Long>> endOffsets(Set<String> topics) {
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        Map<TopicPartition, Long> answer = new HashMap<>();
        ends.forEach((partition, end) -> {
            if (topics.contains(partition.topic()) && !missingTopics.contains(partition.topic())) {
                answer.put(partition, end);
            }
        });
        Runnable between = betweenRequests;
        betweenRequests = null;
        if (between != null) {
            between.run();
        }
        return CompletableFuture.completedFuture(answer);
    }

    @Override
    public CompletableFuture<Map<String, Map<TopicPartition, Long>>> committedOffsets(Set<String> groups) {
        Map<String, Map<TopicPartition, Long>> answer = new HashMap<>();
        committed.forEach((group, offsets) -> {
            if (groups.contains(group)) {
                answer.put(group, Map.copyOf(offsets));
            }
        });
        return CompletableFuture.completedFuture(answer);
    }
}
