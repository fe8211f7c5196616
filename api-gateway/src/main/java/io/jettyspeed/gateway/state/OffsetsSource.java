package io.jettyspeed.gateway.state;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the freshness watermark reads offsets: the end of topics and what consumer groups
 * committed. Behind an interface so that the chain logic is tested without a broker, and so that
 * the way group offsets are read (classic and consumer groups with {@code listConsumerGroupOffsets},
 * KIP-1071 streams groups with {@code listStreamsGroupOffsets}) is one class's concern.
 */
public interface OffsetsSource extends AutoCloseable {

    /**
     * The end offset (high watermark, read uncommitted) of every partition of these topics, as
     * the broker knows it when it answers. A topic that does not exist has no partitions in the
     * answer (nothing was ever written to it); any other failure fails the future.
     */
    CompletableFuture<Map<TopicPartition, Long>> endOffsets(Set<String> topics);

    /**
     * The offsets each group committed. A group that does not exist, or whose offsets cannot be read
     * now, is absent from the answer, and a partition it never committed is absent from its map:
     * both count as nothing processed.
     */
    CompletableFuture<Map<String, Map<TopicPartition, Long>>> committedOffsets(Set<String> groups);

    @Override
    default void close() {
    }
}
