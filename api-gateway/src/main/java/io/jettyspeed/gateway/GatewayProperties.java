package io.jettyspeed.gateway;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's own settings ({@code jetty.gateway.*}); Kafka itself is configured under
 * {@code spring.kafka.*}.
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
 */
@Validated
@ConfigurationProperties("jetty.gateway")
public record GatewayProperties(
        @DefaultValue("") @NotNull String topicPrefix,
        @DefaultValue("6") @Min(1) int partitions,
        @DefaultValue("6s") @NotNull Duration publishTimeout,
        @DefaultValue("5s") @NotNull Duration retryAfter,
        @DefaultValue("500") @Min(1) @Max(10_000) int maxBatchSize,
        @DefaultValue("1MB") @NotNull DataSize maxBodySize,
        @DefaultValue("5m") @NotNull Duration maxClockSkew,
        @DefaultValue("2s") @NotNull Duration kafkaHealthTimeout,
        @DefaultValue("5s") @NotNull Duration kafkaHealthCacheTtl,
        @DefaultValue @Valid @NotNull Security security) {

    /**
     * @param keyCacheTtl how long a looked-up key (or its absence) is reused; a revocation takes
     *     effect within this time
     * @param keyCacheSize most keys remembered at once
     * @param burstSeconds how many seconds of a key's rate may be spent at once
     */
    public record Security(
            @DefaultValue("10s") @NotNull Duration keyCacheTtl,
            @DefaultValue("10000") @Min(1) int keyCacheSize,
            @DefaultValue("1") @Min(1) int burstSeconds) {
    }
}
