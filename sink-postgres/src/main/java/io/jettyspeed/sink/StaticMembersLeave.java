package io.jettyspeed.sink;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * On a clean stop, removes this instance's static members ({@code <instanceId>-0}, {@code -1}, ...)
 * from the group once the listener container has stopped, so the other instances take the
 * partitions over at once instead of after the session timeout. A static member does not leave by
 * itself, and the consumer's own {@code close(CloseOptions.groupMembershipOperation(LEAVE_GROUP))}
 * (Kafka 4.1) cannot help here: spring-kafka's container unsubscribes before it closes, which
 * forgets the member id a LeaveGroup needs. Kafka Streams does the same through the Admin API
 * ({@code KafkaStreams.close(CloseOptions.leaveGroup(true))}). A kill -9 removes nothing, and the
 * restarted static member takes its partitions back at once.
 */
final class StaticMembersLeave implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StaticMembersLeave.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, Object> adminConfig;
    private final String groupId;
    private final List<String> members;
    private final boolean leave;
    private volatile boolean running;

    StaticMembersLeave(Map<String, Object> adminConfig, SinkProperties properties) {
        this.adminConfig = Map.copyOf(adminConfig);
        this.groupId = properties.groupId();
        this.leave = properties.leaveGroupOnClose();
        this.members = IntStream.range(0, properties.concurrency()).mapToObj(i -> properties.instanceId() + "-" + i).toList();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (!leave) {
            return;
        }
        Map<String, Object> config = new java.util.HashMap<>(adminConfig);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        try (Admin admin = Admin.create(config)) {
            admin.removeMembersFromConsumerGroup(groupId, new RemoveMembersFromConsumerGroupOptions(
                            members.stream().map(MemberToRemove::new).toList()))
                    .all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("left group {} as {}", groupId, members);
        } catch (Exception e) {
            // Not fatal: the members time out after the session timeout instead.
            log.warn("could not remove static members {} from group {}", members, groupId, e);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Below the listener container's phase, so this stops after the consumers have closed. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }
}
