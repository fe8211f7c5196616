package io.jettyspeed.processors;

import io.jettyspeed.processors.dedup.DedupIndexConfig;
import io.jettyspeed.processors.edges.EdgeHealthConfig;
import io.jettyspeed.processors.sessions.UploadSessionsConfig;
import io.jettyspeed.processors.users.UserStatsConfig;
import io.jettyspeed.schemas.cluster.StaticMembership;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.Map;
import org.springframework.util.unit.DataSize;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the stream processors ({@code jetty.processors.*}; defaults in {@code stream-processors.yml},
 * the one place they are written; each overridable from the environment). Validated when bound by
 * the constraints below: the application does not start with a setting that makes no sense.
 *
 * @param applicationId      Kafka Streams application id prefix; each topology runs as {@code <id>-<topology>}
 * @param bootstrapServers   Kafka bootstrap servers
 * @param stateDir           directory of the RocksDB state stores
 * @param standbyReplicas    warm copies of each store on other instances (fast fail-over)
 * @param streamThreads      stream threads per topology
 * @param topicPrefix        prefix of every topic name (empty in production)
 * @param commitInterval     commit interval; with exactly_once_v2 this bounds end-to-end latency; edge health
 *                           emits its changed edges at this interval too
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
 * @param rocksdbMemory      off-heap memory all RocksDB stores of this instance share (block cache, index and
 *                           filter blocks, memtables: {@code BoundedRocksDbMemory})
 * @param stateCache         Kafka Streams' record cache in front of the aggregate stores, per topology
 *                           ({@code statestore.cache.max.bytes}): a key's changes within a commit interval are
 *                           one store write and one changelog record; 0 writes every change through
 * @param partitions         partitions of the catalogue topics and of the processors' repartition topics
 *                           ({@code JETTY_PARTITIONS}, the one setting every service reads)
 * @param streams            further Kafka Streams settings, by their Kafka names
 *                           ({@code jetty.processors.streams[max.poll.interval.ms]=600000}); applied last
 */
@Validated
@ConfigurationProperties("jetty.processors")
public record ProcessorsProperties(
        @NotNull @Pattern(regexp = "[A-Za-z0-9._-]+") String applicationId,
        @NotBlank String bootstrapServers,
        @NotBlank String stateDir,
        @Min(0) int standbyReplicas,
        @Min(1) int streamThreads,
        @NotNull String topicPrefix,
        @NotNull @DurationMin(nanos = 0, inclusive = false) Duration commitInterval,
        @NotNull @DurationMin(nanos = 0, inclusive = false) Duration edgeStaleAfter,
        @NotNull @DurationMin(nanos = 0, inclusive = false) Duration sessionIdleTimeout,
        @NotNull @DurationMin(nanos = 0) Duration grace,
        @NotBlank String storageBaseUrl,
        @NotNull @Pattern(regexp = "exactly_once_v2|at_least_once") String processingGuarantee,
        @NotNull @DurationMin(nanos = 0, inclusive = false) Duration sessionRetention,
        @NotNull @DurationMin(nanos = 0) Duration maxClockSkew,
        @Min(1024) int maxRecordBytes,
        // Empty: the host name (resolved below, not a default: it differs per host).
        @NotNull @Pattern(regexp = "[A-Za-z0-9._-]{0,200}") String instanceId,
        // The broker's default bounds of a consumer's session timeout (group.min/max.session.timeout.ms).
        @NotNull @DurationMin(seconds = 6) @DurationMax(minutes = 30) Duration sessionTimeout,
        boolean leaveGroupOnClose,
        @NotNull DataSize rocksdbMemory,
        @NotNull DataSize stateCache,
        @Min(1) int partitions,
        Map<String, String> streams) {

    public ProcessorsProperties {
        instanceId = instanceId.isBlank() ? StaticMembership.hostName() : instanceId;
        // Pass-through Kafka settings: Boot binds an absent map as null; no entries is not a default.
        streams = streams == null ? Map.of() : Map.copyOf(streams);
    }

    public EdgeHealthConfig edgeHealth() {
        return EdgeHealthConfig.of(edgeStaleAfter, grace, maxClockSkew, commitInterval);
    }

    public UploadSessionsConfig uploadSessions() {
        UploadSessionsConfig defaults = UploadSessionsConfig.defaults();
        return new UploadSessionsConfig(sessionIdleTimeout, defaults.sweepInterval(), grace, sessionRetention,
                defaults.dedupWindow(), maxClockSkew);
    }

    public DedupIndexConfig dedupIndex() {
        DedupIndexConfig defaults = DedupIndexConfig.defaults();
        return new DedupIndexConfig(storageBaseUrl, defaults.dedupWindow(), maxClockSkew, defaults.checkWait());
    }

    public UserStatsConfig userStats() {
        return UserStatsConfig.of(sessionRetention, maxClockSkew);
    }
}
