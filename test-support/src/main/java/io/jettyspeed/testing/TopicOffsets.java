package io.jettyspeed.testing;

import io.jettyspeed.schemas.Topic;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The end offsets of a few topics on the shared broker, summed: a cheap way to assert that a
 * request published nothing (the sum before equals the sum after).
 */
public final class TopicOffsets implements AutoCloseable {

    private final Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()));
    private final List<TopicPartition> partitions;

    public TopicOffsets(Collection<? extends Topic<?, ?>> topics) {
        this.partitions = topics.stream()
                .flatMap(topic -> java.util.stream.IntStream.range(0, topic.partitions())
                        .mapToObj(p -> new TopicPartition(topic.name(), p)))
                .toList();
    }

    /** The sum of the end offsets of every partition of the topics. */
    public long total() {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
        try {
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read end offsets", e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
