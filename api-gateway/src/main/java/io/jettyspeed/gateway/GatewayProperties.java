package io.jettyspeed.gateway;

import io.jettyspeed.settings.SettingsFailureAnalyzer;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's own settings ({@code jetty.gateway.*}; their defaults are in {@code api-gateway.yml},
 * nowhere else); Kafka itself is configured under {@code spring.kafka.*}.
 *
 * @param topicPrefix prefix of every topic name (tests and tenants of a shared cluster use one)
 * @param partitions partitions the topics are expected to have
 * @param publishTimeout how long a request waits for the broker to acknowledge its events before
 *     it answers 503
 * @param retryAfter what the {@code Retry-After} header of a 503 says
 * @param maxBatchSize most events in one {@code events} or {@code edge-metrics} request
 * @param maxBodySize largest request body accepted; larger ones get 413
 * @param maxClockSkew how far in the future a client's event time may be
 * @param kafkaHealthTimeout how long the readiness check waits for the cluster to answer
 * @param kafkaHealthCacheTtl how long a readiness answer about Kafka is reused
 * @param security API keys and rate limits
 * @param bodyTimeout how long a request body may take to arrive, from the first byte of the
 *     request's handling to its last; a slower body gets 408 and the connection is closed
 * @param maxRequestsPerClient most requests one client address may have in progress at once
 *     (bodies still arriving and open event streams included); more get 429 with
 *     {@code Retry-After} without their body being read
 * @param sessionIdKey key of the HMAC that derives a retried start's session id from its eventId
 *     (at least 32 characters; the same on every instance). Empty: a random key per process
 * @param dedupScope whose content a dedup check may find: {@code global} (any user's) or
 *     {@code user} (only content the asking user already has)
 * @param freshness how reads learn and say how fresh the local copies are
 * @param httpMetrics how {@code http.server.requests} is recorded: {@code timer} (a plain timer per
 *     route and status) or {@code observation} (Spring's per-request Observation, for tracing);
 *     the metric's name and tags are the same ({@code HttpMetricsConfiguration})
 */
@Validated
@ConfigurationProperties("jetty.gateway")
public record GatewayProperties(
        @NotNull String topicPrefix,
        @Min(1) int partitions,
        @NotNull Duration publishTimeout,
        @NotNull Duration retryAfter,
        @Min(1) @Max(10_000) int maxBatchSize,
        @NotNull DataSize maxBodySize,
        @NotNull Duration maxClockSkew,
        @NotNull Duration kafkaHealthTimeout,
        @NotNull Duration kafkaHealthCacheTtl,
        @Valid @NotNull Security security,
        @NotNull Duration bodyTimeout,
        @Min(1) int maxRequestsPerClient,
        @NotNull @Pattern(regexp = "|.{32,}", message = "must be empty or have at least 32 characters") String sessionIdKey,
        @NotNull DedupScope dedupScope,
        @Valid @NotNull Freshness freshness,
        @NotNull HttpMetrics httpMetrics) {

    /** How HTTP requests are measured. */
    public enum HttpMetrics {
        /** A Micrometer timer per route and status: what the dashboard needs, at the least cost per request. */
        TIMER,
        /** Spring's ServerHttpObservationFilter: an Observation per request, for deployments that trace. */
        OBSERVATION
    }

    /** Whose stored content a dedup check may find. */
    public enum DedupScope {
        /** Any user's: the most savings; the answer confirms to a user that the content exists somewhere. */
        GLOBAL,
        /** Only content the asking user already has: no cross-user confirmation, fewer savings. */
        USER
    }

    /**
     * How fresh the answers from the local copies are, and how long a read may wait for them.
     *
     * @param processorsApplicationId the processors' {@code jetty.processors.application-id}
     *     ({@code JETTY_PROCESSORS_APPLICATION_ID}): their consumer groups are
     *     {@code <id>-<topology>}, which the watermark follows
     * @param pollInterval how often the watermark is measured (one round of Admin requests)
     * @param requestTimeout how long one of those Admin requests may take
     * @param defaultWait how long a read waits for the watermark to pass the time it was asked when
     *     the client sent no {@code Prefer: wait}; 0 answers at once ({@code pending} on a dedup
     *     miss the index cannot vouch for yet)
     * @param maxWait the most a {@code Prefer: wait=<seconds>} may ask for
     * @param maxWaiting most requests waiting at once; more answer at once with what they have
     */
    public record Freshness(
            @NotNull String processorsApplicationId,
            @NotNull @DurationMin(nanos = 0, inclusive = false) Duration pollInterval,
            @NotNull Duration requestTimeout,
            @NotNull @DurationMin(nanos = 0) Duration defaultWait,
            @NotNull @DurationMin(nanos = 0) Duration maxWait,
            @Min(0) int maxWaiting) {

        public Freshness {
            if (defaultWait != null && maxWait != null && defaultWait.compareTo(maxWait) > 0) {
                throw new IllegalArgumentException("default-wait must not exceed max-wait, was "
                        + SettingsFailureAnalyzer.readable(defaultWait) + " > " + SettingsFailureAnalyzer.readable(maxWait));
            }
        }
    }

    /**
     * @param keyCacheTtl how long a looked-up key (or its absence) is reused; a revocation takes
     *     effect within this time
     * @param keyCacheSize most keys remembered at once
     * @param burstSeconds how many seconds of a key's rate may be spent at once
     */
    public record Security(
            @NotNull Duration keyCacheTtl,
            @Min(1) int keyCacheSize,
            @Min(1) int burstSeconds) {
    }
}
