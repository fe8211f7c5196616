package io.jettyspeed.schemas.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;

/**
 * Whether the Kafka cluster answers: a {@code describeCluster} within {@code timeout}, its answer
 * reused for {@code cacheFor} so that probes (every few seconds, from several callers) do not
 * hammer the cluster. The readiness of the gateway and of the processors is built on it. Kafka
 * clients themselves do not say this: a Kafka Streams application stays RUNNING, and a producer
 * keeps accepting records into its buffer, while no broker answers.
 */
public final class ClusterReachability implements AutoCloseable {

    /** One answer: reachable with the cluster's id and broker count, or not with why. */
    public record Answer(boolean reachable, String clusterId, int brokers, String error) {
    }

    private final Map<String, Object> adminConfig;
    private final Duration timeout;
    private final long cacheForNanos;
    private Admin admin;
    private volatile Answer last;
    private volatile long lastCheckedAt;

    /**
     * @param adminConfig Admin client settings (at least {@code bootstrap.servers}); the request
     *                    timeouts are set from {@code timeout}
     */
    public ClusterReachability(Map<String, Object> adminConfig, Duration timeout, Duration cacheFor) {
        Map<String, Object> config = new HashMap<>(adminConfig);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        this.adminConfig = config;
        this.timeout = timeout;
        this.cacheForNanos = cacheFor.toNanos();
    }

    /** The last answer if younger than {@code cacheFor}, else a new one (waits at most about {@code timeout}). */
    public Answer check() {
        Answer cached = last;
        if (cached != null && System.nanoTime() - lastCheckedAt < cacheForNanos) {
            return cached;
        }
        synchronized (this) {
            if (last != null && System.nanoTime() - lastCheckedAt < cacheForNanos) {
                return last;
            }
            Answer fresh = ask();
            last = fresh;
            lastCheckedAt = System.nanoTime();
            return fresh;
        }
    }

    private Answer ask() {
        try {
            DescribeClusterResult cluster = admin()
                    .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
            long waitMs = timeout.toMillis() + 500;
            String clusterId = cluster.clusterId().get(waitMs, TimeUnit.MILLISECONDS);
            int nodes = cluster.nodes().get(waitMs, TimeUnit.MILLISECONDS).size();
            return new Answer(true, clusterId, nodes, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(false, null, 0, "interrupted");
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return new Answer(false, null, 0, cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(adminConfig);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }
}
