package io.jettyspeed.sink;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the sink ({@code jetty.sink.*}).
 *
 * @param topicPrefix   prefix of every topic name (empty in production; tests use their own)
 * @param partitions    partitions of the catalogue topics
 * @param groupId       consumer group; instances with the same group share the partitions
 * @param pollTimeout   how long one poll waits for records
 * @param maxPollRecords upper bound of one batch (one transaction)
 */
@Validated
@ConfigurationProperties("jetty.sink")
public record SinkProperties(
        @NotNull String topicPrefix,
        @Min(1) int partitions,
        @NotBlank String groupId,
        @NotNull Duration pollTimeout,
        @Min(1) int maxPollRecords) {

    public SinkProperties {
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        partitions = partitions == 0 ? 6 : partitions;
        groupId = groupId == null ? "jetty-sink-postgres" : groupId;
        pollTimeout = pollTimeout == null ? Duration.ofMillis(200) : pollTimeout;
        maxPollRecords = maxPollRecords == 0 ? 2_000 : maxPollRecords;
    }
}
