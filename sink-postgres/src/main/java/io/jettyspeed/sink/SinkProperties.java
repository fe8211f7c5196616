package io.jettyspeed.sink;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import io.jettyspeed.schemas.cluster.StaticMembership;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the sink ({@code jetty.sink.*}). Kafka client settings are {@code spring.kafka.*}.
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
 *                        static members {@code <instanceId>} ({@code -0}, {@code -1}, ... with concurrency
 *                        above 1, as spring-kafka suffixes them), so a restarted instance gets its
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
        @NotNull Duration stallAfter,
        @NotNull Duration checkInterval,
        @NotNull Duration retryBackoff,
        @NotNull Duration retryBackoffMax,
        @Valid @NotNull DeadLetters deadLetters,
        String instanceId,
        Duration sessionTimeout,
        Boolean leaveGroupOnClose) {

    /** The broker's default bounds of a consumer's session timeout (group.min/max.session.timeout.ms). */
    static final Duration MIN_SESSION_TIMEOUT = Duration.ofSeconds(6);
    static final Duration MAX_SESSION_TIMEOUT = Duration.ofMinutes(30);

    public SinkProperties {
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        partitions = partitions == 0 ? 6 : partitions;
        groupId = groupId == null ? "jetty-sink-postgres" : groupId;
        pollTimeout = pollTimeout == null ? Duration.ofMillis(200) : pollTimeout;
        maxPollRecords = maxPollRecords == 0 ? 2_000 : maxPollRecords;
        concurrency = concurrency == 0 ? 1 : concurrency;
        stallAfter = stallAfter == null ? Duration.ofSeconds(30) : stallAfter;
        checkInterval = checkInterval == null ? Duration.ofSeconds(2) : checkInterval;
        retryBackoff = retryBackoff == null ? Duration.ofMillis(500) : retryBackoff;
        retryBackoffMax = retryBackoffMax == null ? Duration.ofSeconds(10) : retryBackoffMax;
        deadLetters = deadLetters == null ? new DeadLetters(null, 0, 0, null) : deadLetters;
        instanceId = instanceId == null || instanceId.isBlank() ? StaticMembership.hostName() : instanceId;
        if (!StaticMembership.isValidInstanceId(instanceId)) {
            throw new IllegalArgumentException("invalid jetty.sink.instance-id: " + instanceId
                    + " (letters, digits, '.', '_', '-'; at most 200)");
        }
        sessionTimeout = sessionTimeout == null ? Duration.ofSeconds(30) : sessionTimeout;
        if (sessionTimeout.compareTo(MIN_SESSION_TIMEOUT) < 0 || sessionTimeout.compareTo(MAX_SESSION_TIMEOUT) > 0) {
            throw new IllegalArgumentException("invalid jetty.sink.session-timeout: " + sessionTimeout
                    + " (between the broker's default bounds, 6s and 30m)");
        }
        leaveGroupOnClose = leaveGroupOnClose == null || leaveGroupOnClose;
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
    public record DeadLetters(Duration relayInterval, @Min(1) int relayBatch, @Min(1) int maxBacklog,
            Duration retention) {

        public DeadLetters {
            relayInterval = relayInterval == null ? Duration.ofSeconds(1) : relayInterval;
            relayBatch = relayBatch == 0 ? 500 : relayBatch;
            maxBacklog = maxBacklog == 0 ? 100_000 : maxBacklog;
            retention = retention == null ? Duration.ofDays(7) : retention;
        }
    }
}
