package io.jettyspeed.sink;

import io.jettyspeed.schemas.cluster.StaticMembership;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the sink ({@code jetty.sink.*}; their defaults are in {@code sink-postgres.yml}, nowhere else).
 * Kafka client settings are {@code spring.kafka.*}.
 *
 * @param topicPrefix     prefix of every topic name (empty in production; tests use their own)
 * @param partitions      partitions of the catalogue topics
 * @param groupId         consumer group; instances with the same group share the partitions
 * @param pollTimeout     how long one poll waits for records
 * @param maxPollRecords  upper bound of one batch (one transaction)
 * @param concurrency     consumers (threads) in this instance, each with its own partitions
 * @param stallAfter      not ready when records wait and nothing was committed for this long
 * @param checkInterval   how often lag, Kafka and PostgreSQL are measured for readiness and metrics
 * @param retryBackoff    first pause before a batch is retried after an outage (doubles each time)
 * @param retryBackoffMax longest pause between retries; retries never stop
 * @param deadLetters     the dead-letter outbox and its relay
 * @param instanceId      this instance's stable name (default: the host name); its consumers join as the
 *                        static members {@code <instanceId>-0}, {@code -1}, ... (spring-kafka's
 *                        concurrent container suffixes each consumer's id, even with concurrency 1), so a restarted instance gets its
 *                        partitions back at once instead of waiting for its old self to time out
 * @param sessionTimeout  how long the group waits for a static member that stopped heartbeating before
 *                        it moves the member's partitions: a restart within it causes no rebalance; a
 *                        permanently dead instance's partitions wait this long
 * @param leaveGroupOnClose on a clean stop the consumers leave the group (a static member does not by
 *                        default), so the other instances take the partitions over at once
 */
@Validated
@ConfigurationProperties("jetty.sink")
public record SinkProperties(
        @NotNull String topicPrefix,
        @Min(1) int partitions,
        @NotBlank String groupId,
        @NotNull Duration pollTimeout,
        @Min(1) int maxPollRecords,
        @Min(1) int concurrency,
        @NotNull @DurationMin(nanos = 0, inclusive = false) Duration stallAfter,
        @NotNull @DurationMin(nanos = 0, inclusive = false) Duration checkInterval,
        @NotNull @DurationMin(nanos = 0, inclusive = false) Duration retryBackoff,
        @NotNull @DurationMin(nanos = 0, inclusive = false) Duration retryBackoffMax,
        @Valid @NotNull DeadLetters deadLetters,
        // Empty: the host name (resolved below, not a default: it differs per host).
        @NotNull @Pattern(regexp = "[A-Za-z0-9._-]{0,200}") String instanceId,
        // The broker's default bounds of a consumer's session timeout (group.min/max.session.timeout.ms).
        @NotNull @DurationMin(seconds = 6) @DurationMax(minutes = 30) Duration sessionTimeout,
        boolean leaveGroupOnClose) {

    public SinkProperties {
        instanceId = instanceId.isBlank() ? StaticMembership.hostName() : instanceId;
    }

    /**
     * The dead-letter outbox ({@code sink_dead_letters}) and the relay that publishes it.
     *
     * @param relayInterval how often the relay looks for letters when it was not woken by a commit;
     *                      also the first pause after a dead-letter topic failed (doubling to 30 s)
     * @param relayBatch    letters published per round
     * @param maxBacklog    unpublished letters at which batches that would add more wait (the
     *                      dead-letter topics are unreachable for long): the outbox stays bounded
     * @param retention     how long published letters are kept in the table for inspection
     */
    public record DeadLetters(
            @NotNull @DurationMin(nanos = 0, inclusive = false) Duration relayInterval,
            @Min(1) int relayBatch,
            @Min(1) int maxBacklog,
            @NotNull @DurationMin(nanos = 0, inclusive = false) Duration retention) {
    }
}
