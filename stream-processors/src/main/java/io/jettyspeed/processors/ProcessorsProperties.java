package io.jettyspeed.processors;

import io.jettyspeed.processors.dedup.DedupIndexConfig;
import io.jettyspeed.processors.edges.EdgeHealthConfig;
import io.jettyspeed.processors.sessions.UploadSessionsConfig;
import io.jettyspeed.processors.users.UserStatsConfig;
import io.jettyspeed.schemas.cluster.StaticMembership;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the stream processors ({@code jetty.processors.*} in {@code stream-processors.yml},
 * each overridable from the environment). Validated when bound: the application does not start
 * with a setting that makes no sense.
 *
 * @param applicationId      Kafka Streams application id prefix; each topology runs as {@code <id>-<topology>}
 * @param bootstrapServers   Kafka bootstrap servers
 * @param stateDir           directory of the RocksDB state stores
 * @param standbyReplicas    warm copies of each store on other instances (fast fail-over)
 * @param streamThreads      stream threads per topology
 * @param topicPrefix        prefix of every topic name (empty in production)
 * @param commitInterval     commit interval; with exactly_once_v2 this bounds end-to-end latency
 * @param edgeStaleAfter     an edge with no observation for this long is STALE
 * @param sessionIdleTimeout an upload session without progress for this long is EXPIRED
 * @param grace              events this much older than their aggregate's newest event are dropped as late
 * @param storageBaseUrl     where stored files live (location of the dedup index entries)
 * @param processingGuarantee {@code exactly_once_v2} (the product's guarantee) or {@code at_least_once}
 *                           (only for measuring what exactly-once costs; the benchmark's comparison row)
 * @param sessionRetention   a finished or expired session is deleted from the store and tombstoned on
 *                           {@code jetty.upload-sessions.v1} this long after its last activity (user stats
 *                           keep what they counted of it one day longer)
 * @param maxClockSkew       how far a client's event time may lie ahead of the processor's clock before the
 *                           event is dead-lettered; at least the gateway's allowed skew
 * @param maxRecordBytes     largest output record the processors produce; a larger one is dead-lettered
 *                           ({@code PRODUCTION_ERROR}) instead of failing the transaction
 * @param instanceId         this instance's stable name (default: the host name, which a StatefulSet pod keeps
 *                           across restarts); each topology's consumers join as the static members
 *                           {@code <instanceId>-<topology>-<thread>} ({@code group.instance.id}), so a
 *                           restarted instance gets its tasks back at once instead of waiting for its
 *                           old self to time out. Two live instances must never share it.
 * @param sessionTimeout     how long the group waits for a static member that stopped heartbeating
 *                           before it moves the member's tasks to the others: a restart within it
 *                           causes no rebalance at all; a permanently dead instance's tasks wait this long
 * @param leaveGroupOnClose  on a clean stop, remove this instance's static members from the groups so
 *                           the other instances take its tasks over at once (scale-down); off, a clean
 *                           restart within {@code sessionTimeout} keeps its tasks without any rebalance
 * @param partitions         partitions of the catalogue topics and of the processors' repartition topics
 *                           ({@code JETTY_PARTITIONS}, the one setting every service reads)
 * @param streams            further Kafka Streams settings, by their Kafka names
 *                           ({@code jetty.processors.streams[max.poll.interval.ms]=600000}); applied last
 */
@ConfigurationProperties("jetty.processors")
public record ProcessorsProperties(
        @DefaultValue("jetty-stream-processors") String applicationId,
        @DefaultValue("localhost:9092") String bootstrapServers,
        @DefaultValue("/tmp/jetty-streams") String stateDir,
        @DefaultValue("0") int standbyReplicas,
        @DefaultValue("1") int streamThreads,
        @DefaultValue("") String topicPrefix,
        @DefaultValue("100ms") Duration commitInterval,
        @DefaultValue("15s") Duration edgeStaleAfter,
        @DefaultValue("30m") Duration sessionIdleTimeout,
        @DefaultValue("10m") Duration grace,
        @DefaultValue("https://storage.jettyspeed.io/files") String storageBaseUrl,
        @DefaultValue("exactly_once_v2") String processingGuarantee,
        @DefaultValue("7d") Duration sessionRetention,
        @DefaultValue("6m") Duration maxClockSkew,
        @DefaultValue("1000000") int maxRecordBytes,
        @DefaultValue("") String instanceId,
        @DefaultValue("30s") Duration sessionTimeout,
        @DefaultValue("true") boolean leaveGroupOnClose,
        @DefaultValue("6") int partitions,
        Map<String, String> streams) {

    /** The broker's default bounds of a consumer's session timeout (group.min/max.session.timeout.ms). */
    static final Duration MIN_SESSION_TIMEOUT = Duration.ofSeconds(6);
    static final Duration MAX_SESSION_TIMEOUT = Duration.ofMinutes(30);

    public ProcessorsProperties {
        require(applicationId != null && applicationId.matches("[A-Za-z0-9._-]+"), "applicationId", applicationId);
        require(bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrapServers", bootstrapServers);
        require(stateDir != null && !stateDir.isBlank(), "stateDir", stateDir);
        require(standbyReplicas >= 0, "standbyReplicas", standbyReplicas);
        require(streamThreads >= 1, "streamThreads", streamThreads);
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        require(positive(commitInterval), "commitInterval", commitInterval);
        require(positive(edgeStaleAfter), "edgeStaleAfter", edgeStaleAfter);
        require(positive(sessionIdleTimeout), "sessionIdleTimeout", sessionIdleTimeout);
        require(grace != null && !grace.isNegative(), "grace", grace);
        require("exactly_once_v2".equals(processingGuarantee) || "at_least_once".equals(processingGuarantee),
                "processingGuarantee", processingGuarantee);
        require(positive(sessionRetention), "sessionRetention", sessionRetention);
        require(maxClockSkew != null && !maxClockSkew.isNegative(), "maxClockSkew", maxClockSkew);
        require(maxRecordBytes >= 1024, "maxRecordBytes", maxRecordBytes);
        instanceId = instanceId == null || instanceId.isBlank() ? StaticMembership.hostName() : instanceId;
        require(StaticMembership.isValidInstanceId(instanceId), "instanceId", instanceId);
        require(sessionTimeout != null && sessionTimeout.compareTo(MIN_SESSION_TIMEOUT) >= 0
                && sessionTimeout.compareTo(MAX_SESSION_TIMEOUT) <= 0, "sessionTimeout", sessionTimeout);
        require(partitions >= 1, "partitions", partitions);
        streams = streams == null ? Map.of() : Map.copyOf(streams);
    }

    public EdgeHealthConfig edgeHealth() {
        EdgeHealthConfig defaults = EdgeHealthConfig.defaults().withStaleAfter(edgeStaleAfter);
        return defaults.withGrace(grace).withMaxClockSkew(maxClockSkew);
    }

    public UploadSessionsConfig uploadSessions() {
        UploadSessionsConfig defaults = UploadSessionsConfig.defaults();
        return new UploadSessionsConfig(sessionIdleTimeout, defaults.sweepInterval(), grace, sessionRetention,
                defaults.dedupWindow(), maxClockSkew);
    }

    public DedupIndexConfig dedupIndex() {
        return new DedupIndexConfig(storageBaseUrl, DedupIndexConfig.defaults().dedupWindow(), maxClockSkew);
    }

    public UserStatsConfig userStats() {
        UserStatsConfig defaults = UserStatsConfig.forSessionRetention(sessionRetention);
        return new UserStatsConfig(defaults.retention(), defaults.sweepInterval(), defaults.dedupWindow(), maxClockSkew);
    }

    private static boolean positive(Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }

    private static void require(boolean valid, String name, Object value) {
        if (!valid) {
            throw new IllegalArgumentException("invalid jetty.processors." + name + ": " + value);
        }
    }
}
