package io.jettyspeed.gateway.state;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListStreamsGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListStreamsGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * {@link OffsetsSource} over Kafka's Admin API.
 *
 * <p>End offsets: {@code listOffsets(latest)}, read uncommitted (the high watermark: at or past
 * every acknowledged write; an open transaction above the last stable offset only makes the next
 * hop wait for it). Partition counts are described once and refreshed every 30 s; a topic that does
 * not exist yet (a repartition topic before the processors first ran) is described again at every
 * call, so its first records are never missed.
 *
 * <p>Committed offsets, whichever rebalance protocol the processors use: {@code listGroups} tells
 * which of the groups exist and of what type (refreshed every 5 s, and within a second when one is
 * missing); KIP-1071 {@code streams} groups are read with {@code listStreamsGroupOffsets}, classic
 * and consumer groups with {@code listConsumerGroupOffsets}, each kind in one request. A group that
 * does not exist, or whose read fails, is left out (nothing processed).
 */
public final class KafkaOffsetsSource implements OffsetsSource {

    private static final long TOPICS_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long GROUPS_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long MISSING_GROUPS_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Admin admin;
    private final int timeoutMs;
    private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
    private volatile long topicsDescribedAt;
    private volatile Map<String, GroupType> groupTypes = Map.of();
    private volatile long groupsListedAt;

    public KafkaOffsetsSource(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeoutMs = (int) timeout.toMillis();
    }

    @Override
    public CompletableFuture<Map<TopicPartition, Long>> endOffsets(Set<String> topics) {
        try {
            Map<String, Integer> counts = partitionCounts(topics);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            counts.forEach((topic, partitions) -> {
                for (int p = 0; p < partitions; p++) {
                    request.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
            });
            if (request.isEmpty()) {
                return CompletableFuture.completedFuture(Map.of());
            }
            return toCompletable(admin.listOffsets(request,
                    new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED).timeoutMs(timeoutMs)).all())
                    .thenApply(offsets -> {
                        Map<TopicPartition, Long> ends = new HashMap<>();
                        offsets.forEach((partition, info) -> ends.put(partition, info.offset()));
                        return ends;
                    })
                    .whenComplete((ok, failure) -> {
                        if (failure != null) {
                            // a deleted or re-created topic: describe everything again next time
                            topicsDescribedAt = 0;
                            partitionCounts.clear();
                        }
                    });
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Map<String, Integer> partitionCounts(Set<String> topics) throws InterruptedException, ExecutionException {
        if (System.nanoTime() - topicsDescribedAt > TOPICS_REFRESH_NANOS) {
            partitionCounts.clear();
            topicsDescribedAt = System.nanoTime();
        }
        Set<String> unknown = new HashSet<>(topics);
        unknown.removeAll(partitionCounts.keySet());
        if (!unknown.isEmpty()) {
            Map<String, KafkaFuture<TopicDescription>> described = admin
                    .describeTopics(unknown, new DescribeTopicsOptions().timeoutMs(timeoutMs)).topicNameValues();
            for (Map.Entry<String, KafkaFuture<TopicDescription>> entry : described.entrySet()) {
                try {
                    partitionCounts.put(entry.getKey(),
                            entry.getValue().get(timeoutMs + 500L, TimeUnit.MILLISECONDS).partitions().size());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new ExecutionException(e);
                }
            }
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String topic : topics) {
            Integer count = partitionCounts.get(topic);
            if (count != null) {
                counts.put(topic, count);
            }
        }
        return counts;
    }

    @Override
    public CompletableFuture<Map<String, Map<TopicPartition, Long>>> committedOffsets(Set<String> groups) {
        Map<String, GroupType> types;
        try {
            types = groupTypes(groups);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        Map<String, ListStreamsGroupOffsetsSpec> streams = new HashMap<>();
        Map<String, ListConsumerGroupOffsetsSpec> consumers = new HashMap<>();
        types.forEach((group, type) -> {
            if (type == GroupType.STREAMS) {
                streams.put(group, new ListStreamsGroupOffsetsSpec());
            } else {
                consumers.put(group, new ListConsumerGroupOffsetsSpec());
            }
        });
        Map<String, CompletableFuture<Map<TopicPartition, OffsetAndMetadata>>> perGroup = new HashMap<>();
        if (!streams.isEmpty()) {
            var result = admin.listStreamsGroupOffsets(streams, new ListStreamsGroupOffsetsOptions().timeoutMs(timeoutMs));
            streams.keySet().forEach(group -> perGroup.put(group, toCompletable(result.partitionsToOffsetAndMetadata(group))));
        }
        if (!consumers.isEmpty()) {
            var result = admin.listConsumerGroupOffsets(consumers,
                    new ListConsumerGroupOffsetsOptions().requireStable(false).timeoutMs(timeoutMs));
            consumers.keySet().forEach(group -> perGroup.put(group, toCompletable(result.partitionsToOffsetAndMetadata(group))));
        }
        Map<String, Map<TopicPartition, Long>> answer = new ConcurrentHashMap<>();
        CompletableFuture<?>[] all = perGroup.entrySet().stream().map(entry -> entry.getValue()
                .handle((offsets, failure) -> {
                    if (failure != null) {
                        // the group changed type, or its coordinator moved: look again, count nothing now
                        groupsListedAt = 0;
                    } else {
                        Map<TopicPartition, Long> committed = new HashMap<>();
                        offsets.forEach((partition, offset) -> {
                            if (offset != null) {
                                committed.put(partition, offset.offset());
                            }
                        });
                        answer.put(entry.getKey(), committed);
                    }
                    return null;
                })).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all).thenApply(done -> Map.copyOf(answer));
    }

    /** The type of each of these groups that exists. */
    private Map<String, GroupType> groupTypes(Set<String> groups) throws Exception {
        long age = System.nanoTime() - groupsListedAt;
        boolean missing = !groupTypes.keySet().containsAll(groups);
        if (age > GROUPS_REFRESH_NANOS || (missing && age > MISSING_GROUPS_REFRESH_NANOS)) {
            Map<String, GroupType> found = new HashMap<>();
            for (GroupListing listing : admin.listGroups(new ListGroupsOptions()
                    .withTypes(EnumSet.of(GroupType.CLASSIC, GroupType.CONSUMER, GroupType.STREAMS))
                    .timeoutMs(timeoutMs)).all().get(timeoutMs + 500L, TimeUnit.MILLISECONDS)) {
                if (groups.contains(listing.groupId())) {
                    found.put(listing.groupId(), listing.type().orElse(GroupType.CLASSIC));
                }
            }
            groupTypes = Map.copyOf(found);
            groupsListedAt = System.nanoTime();
        }
        return groupTypes;
    }

    private static <T> CompletableFuture<T> toCompletable(KafkaFuture<T> future) {
        return future.toCompletionStage().toCompletableFuture();
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
