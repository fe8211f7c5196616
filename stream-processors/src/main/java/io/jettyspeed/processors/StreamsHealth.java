package io.jettyspeed.processors;

import io.jettyspeed.processors.StreamsRunner.StateSince;
import io.jettyspeed.schemas.cluster.ClusterReachability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams.State;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The processors' probes.
 *
 * <p><b>Readiness</b> ({@code streams} and {@code kafka} in the readiness group): processing. The
 * {@link #readiness streams} component is OUT_OF_SERVICE while any topology's application is starting,
 * rebalancing or restoring a store from its changelog (its tasks are being moved, restored or waited
 * for: nothing of theirs is processed; Kafka Streams says RUNNING while it restores),
 * DOWN while one is failing, failed or stopped; its details give each application's state, for how
 * long, and why the instance is not ready. {@link #kafka kafka} is DOWN while the cluster does not
 * answer a {@code describeCluster}: Kafka Streams stays RUNNING while the brokers are away, so its
 * state alone would call a stalled instance ready.
 *
 * <p><b>Liveness</b> ({@code streamsAlive} in the liveness group): DOWN only when an application has
 * given up for good — {@code ERROR} (every stream thread died; our uncaught-exception handler replaces
 * threads, so this is an unexpected fatal error) or {@code NOT_RUNNING} while the service has not been
 * asked to stop — which a restart does cure. Never for the broker, a rebalance or a restore: restarting
 * then would only add a rebalance and a restore.
 */
public final class StreamsHealth {

    private static final Set<State> STARTING = Set.of(State.CREATED, State.REBALANCING);
    private static final Set<State> GIVEN_UP = Set.of(State.ERROR, State.NOT_RUNNING);

    private StreamsHealth() {
    }

    /** The {@code streams} readiness component: UP only when every topology's application is RUNNING. */
    public static HealthIndicator readiness(StreamsRunner runner) {
        return readiness(runner::started, runner::states);
    }

    static HealthIndicator readiness(BooleanSupplier started, Supplier<Map<String, StateSince>> applications) {
        return () -> {
            Map<String, StateSince> states = applications.get();
            if (states.isEmpty() || !started.getAsBoolean()) {
                return Health.outOfService().withDetail("reason", "the stream processors have not started").build();
            }
            long now = System.nanoTime();
            Map<String, Object> details = new LinkedHashMap<>();
            List<String> reasons = new ArrayList<>();
            Status status = Status.UP;
            for (Map.Entry<String, StateSince> entry : states.entrySet()) {
                State state = entry.getValue().state();
                int restoring = entry.getValue().restoringStores();
                long seconds = Duration.ofNanos(now - entry.getValue().sinceNanos()).toSeconds();
                details.put(entry.getKey(), Map.of("state", state.name(), "seconds", seconds, "restoringStores", restoring));
                if (state == State.RUNNING && restoring > 0) {
                    reasons.add(entry.getKey() + " is restoring " + restoring + " store partition(s) from their changelogs");
                    status = status == Status.DOWN ? Status.DOWN : Status.OUT_OF_SERVICE;
                    continue;
                }
                if (state == State.RUNNING) {
                    continue;
                }
                reasons.add(entry.getKey() + " is " + state + " for " + seconds + " s"
                        + (STARTING.contains(state) ? " (tasks being assigned or restored)" : ""));
                status = STARTING.contains(state) && status != Status.DOWN ? Status.OUT_OF_SERVICE : Status.DOWN;
            }
            if (!reasons.isEmpty()) {
                details.put("reason", String.join("; ", reasons));
            }
            return Health.status(status).withDetails(details).build();
        };
    }

    /** The {@code kafka} readiness component: the cluster answers (cached, {@link ClusterReachability}). */
    public static HealthIndicator kafka(ClusterReachability cluster) {
        return () -> {
            ClusterReachability.Answer answer = cluster.check();
            return answer.reachable()
                    ? Health.up().withDetail("clusterId", answer.clusterId()).withDetail("brokers", answer.brokers()).build()
                    : Health.down().withDetail("reason", "Kafka unreachable: " + answer.error()).build();
        };
    }

    /** The {@code streamsAlive} liveness component: DOWN only when an application has given up for good. */
    public static HealthIndicator liveness(StreamsRunner runner) {
        return () -> {
            if (!runner.started()) {
                return Health.up().build();
            }
            Map<String, Object> details = new LinkedHashMap<>();
            runner.states().forEach((topology, since) -> {
                if (GIVEN_UP.contains(since.state())) {
                    details.put(topology, since.state().name());
                }
            });
            return details.isEmpty() ? Health.up().build()
                    : Health.down().withDetails(details).withDetail("reason", "an application stopped for good").build();
        };
    }
}
