package io.jettyspeed.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads, through the Admin API, how far the consumer groups of a set of topic prefixes have got:
 * end offsets of every topic whose name starts with one of the prefixes (the catalogue topics,
 * their dead-letter topics and the Streams applications' repartition and changelog topics, whose
 * names start with the application id) and the committed offsets of every group whose id starts
 * with one of them. Nothing here knows what a service does inside.
 */
public final class KafkaProgress implements AutoCloseable {

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> probe;
    private final Map<String, Integer> partitionsByTopic = new HashMap<>();
    /** Topic and group names are re-listed at most this often: progress is read every few ms during a window. */
    private static final long NAMES_TTL_NANOS = 1_000_000_000L;
    private Set<String> topicNames = Set.of();
    private long topicNamesAt;
    private List<String> groupNames = List.of();
    private long groupNamesAt;

    public KafkaProgress(Admin admin, String bootstrap) {
        this.admin = admin;
        this.probe = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-marker-probe"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** End offsets of every partition of every topic named with one of the prefixes. */
    public Map<TopicPartition, Long> endOffsets(List<String> prefixes) {
        return ask("read end offsets", () -> {
            if (System.nanoTime() - topicNamesAt > NAMES_TTL_NANOS) {
                topicNames = admin.listTopics(new ListTopicsOptions().listInternal(false)).names().get();
                topicNamesAt = System.nanoTime();
            }
            Set<String> names = topicNames.stream()
                    .filter(name -> prefixes.stream().anyMatch(name::startsWith)).collect(Collectors.toSet());
            List<String> unknown = names.stream().filter(n -> !partitionsByTopic.containsKey(n)).toList();
            if (!unknown.isEmpty()) {
                for (TopicDescription d : admin.describeTopics(unknown).allTopicNames().get().values()) {
                    partitionsByTopic.put(d.name(), d.partitions().size());
                }
            }
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (String name : names) {
                for (int p = 0; p < partitionsByTopic.get(name); p++) {
                    request.put(new TopicPartition(name, p), OffsetSpec.latest());
                }
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            if (!request.isEmpty()) {
                admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            }
            return ends;
        });
    }

    /** Committed offsets of every group whose id starts with one of the prefixes. */
    public Map<String, Map<TopicPartition, Long>> committed(List<String> prefixes) {
        return ask("read committed offsets", () -> {
            if (System.nanoTime() - groupNamesAt > NAMES_TTL_NANOS) {
                groupNames = admin.listGroups().all().get().stream().map(GroupListing::groupId).toList();
                groupNamesAt = System.nanoTime();
            }
            List<String> groups = new ArrayList<>();
            for (String g : groupNames) {
                if (prefixes.stream().anyMatch(g::startsWith)) {
                    groups.add(g);
                }
            }
            Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();
            if (groups.isEmpty()) {
                return committed;
            }
            Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
            groups.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
            for (Map.Entry<String, Map<TopicPartition, OffsetAndMetadata>> e
                    : admin.listConsumerGroupOffsets(specs).all().get().entrySet()) {
                Map<TopicPartition, Long> offsets = new HashMap<>();
                e.getValue().forEach((tp, om) -> {
                    if (om != null) {
                        offsets.put(tp, om.offset());
                    }
                });
                committed.put(e.getKey(), offsets);
            }
            return committed;
        });
    }

    /**
     * True when nothing but transaction markers (or aborted records) lies between {@code from} and
     * {@code end}: a read-committed consumer positioned at {@code from} reaches {@code end} without
     * returning a record.
     */
    public boolean markersOnly(TopicPartition tp, long from, long end) {
        probe.assign(List.of(tp));
        try {
            probe.seek(tp, from);
            for (int i = 0; i < 5; i++) {
                if (!probe.poll(Duration.ofMillis(40)).isEmpty()) {
                    return false;
                }
                if (probe.position(tp) >= end) {
                    return true;
                }
            }
            return false;
        } finally {
            probe.assign(List.of());
        }
    }

    /** Deletes every topic named with one of the prefixes. */
    public void deleteTopics(List<String> prefixes) {
        ask("delete topics", () -> {
            Set<String> names = admin.listTopics().names().get().stream()
                    .filter(name -> prefixes.stream().anyMatch(name::startsWith)).collect(Collectors.toSet());
            if (!names.isEmpty()) {
                admin.deleteTopics(names).all().get();
            }
            names.forEach(partitionsByTopic::remove);
            topicNamesAt = 0;
            groupNamesAt = 0;
            return null;
        });
    }

    @Override
    public void close() {
        probe.close();
    }

    @FunctionalInterface
    private interface AdminCall<T> {
        T call() throws ExecutionException, InterruptedException;
    }

    /** Calls the Admin API; a failure says what could not be done ({@code cannot <what>}). */
    private static <T> T ask(String what, AdminCall<T> call) {
        try {
            return call.call();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
