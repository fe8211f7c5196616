package io.jettyspeed.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;

/** Waits until a node serves clients: its own listener answers and lists it among the live (unfenced) brokers. */
final class NodeReadiness {

    private NodeReadiness() {
    }

    static void await(int id, String bootstrapServers, Duration timeout, BooleanSupplier alive, Supplier<String> detail) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200))) {
            while (System.nanoTime() < deadline) {
                if (!alive.getAsBoolean()) {
                    throw new IllegalStateException("Kafka node " + id + " ended while starting" + detail.get());
                }
                try {
                    if (admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).stream().map(Node::id)
                            .anyMatch(nodeId -> nodeId == id)) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka node " + id, e);
        }
        throw new IllegalStateException("Kafka node " + id + " did not serve clients at " + bootstrapServers
                + " within " + timeout + detail.get(), last);
    }
}
