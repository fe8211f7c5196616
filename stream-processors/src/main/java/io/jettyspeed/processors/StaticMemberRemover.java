package io.jettyspeed.processors;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the static group member of a stream thread that Kafka Streams replaced after it failed.
 *
 * <p>A static member never leaves its group on its own, and {@code REPLACE_THREAD} starts the new
 * thread under the next free index (the failed one is still shutting down), so the new thread joins
 * as another member while the old one keeps its tasks until its session times out: those tasks pause
 * for the whole session timeout (30 s by default). Kafka Streams does this removal itself only in
 * {@code removeStreamThread}; we do the same once the failed thread has finished.
 */
final class StaticMemberRemover implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StaticMemberRemover.class);
    private static final Duration WAIT_FOR_THREAD = Duration.ofSeconds(60);

    private final String bootstrapServers;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "static-member-remover");
        thread.setDaemon(true);
        return thread;
    });
    private Admin admin;

    StaticMemberRemover(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Once {@code failed} (a stream thread named {@code <client>-StreamThread-<n>}) has ended, removes
     * its member {@code <groupInstanceId>-<n>} from {@code applicationId}'s group, unless a live thread of
     * {@code streams} has taken that name again (then the member is that thread's).
     */
    void removeWhenDead(KafkaStreams streams, String applicationId, String groupInstanceId, Thread failed) {
        String threadName = failed.getName();
        String member = groupInstanceId + threadName.substring(threadName.lastIndexOf('-'));
        executor.execute(() -> {
            try {
                failed.join(WAIT_FOR_THREAD.toMillis());
                boolean reused = streams.metadataForLocalThreads().stream()
                        .anyMatch(thread -> thread.threadName().equals(threadName) && !"DEAD".equals(thread.threadState()));
                if (failed.isAlive() || reused) {
                    return;
                }
                MemberToRemove toRemove = new MemberToRemove(member);
                admin().removeMembersFromConsumerGroup(applicationId, new RemoveMembersFromConsumerGroupOptions(List.of(toRemove)))
                        .memberResult(toRemove).get(30, TimeUnit.SECONDS);
                LOG.info("removed static member {} of replaced thread {} from group {}", member, threadName, applicationId);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // Not fatal: the member then leaves when its session times out.
                LOG.warn("could not remove static member {} from group {}: {}", member, applicationId, e.toString());
            }
        });
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    AdminClientConfig.CLIENT_ID_CONFIG, "static-member-remover"));
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        executor.shutdownNow();
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
