package io.jettyspeed.sink;

import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

/**
 * Consumers that leave the group when closed, static members included. A static member's
 * {@code close()} keeps its place until the session times out (so that a restart gets the same
 * partitions without a rebalance), and spring-kafka's container closes its consumer with that plain
 * {@code close()}; on a clean stop we would rather hand the partitions to the other instances at
 * once. Kafka 4.1's {@code close(CloseOptions.groupMembershipOperation(LEAVE_GROUP))} (KIP-1092) does
 * it; this factory makes the container's {@code close()} mean that. A kill -9 closes nothing, and the
 * restarted static member takes its partitions back at once.
 */
final class GroupLeavingConsumerFactory extends DefaultKafkaConsumerFactory<byte[], byte[]> {

    GroupLeavingConsumerFactory(Map<String, Object> config) {
        super(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    protected Consumer<byte[], byte[]> createRawConsumer(Map<String, Object> configProps) {
        return new ExtendedKafkaConsumer(configProps) {
            @Override
            public void close() {
                close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            }
        };
    }
}
