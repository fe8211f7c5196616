-- The analyst layer: tables the sink keeps current from the aggregate topics, and the views analysts query.
-- Sizes are in bytes, times are timestamptz, keys are named plainly (user_id, edge_id, file_hash, session_id).

CREATE TABLE edges (
    edge_id        text             PRIMARY KEY,
    city           text             NOT NULL,
    region         text             NOT NULL,
    lat            double precision NOT NULL,
    lng            double precision NOT NULL,
    upload_url     text             NOT NULL,
    is_fallback    boolean          NOT NULL DEFAULT false
);
COMMENT ON TABLE edges IS 'The twenty edge nodes (edge- plus a city code) and the direct-to-storage fallback.';
COMMENT ON COLUMN edges.edge_id IS 'Edge id, e.g. edge-sfo; direct-storage is the fallback.';
COMMENT ON COLUMN edges.city IS 'City the edge is in.';
COMMENT ON COLUMN edges.region IS 'Cloud-style region name, e.g. us-west.';
COMMENT ON COLUMN edges.lat IS 'Latitude in degrees.';
COMMENT ON COLUMN edges.lng IS 'Longitude in degrees.';
COMMENT ON COLUMN edges.upload_url IS 'Where clients upload chunks through this edge.';
COMMENT ON COLUMN edges.is_fallback IS 'True for the direct-to-storage fallback.';

INSERT INTO edges (edge_id, city, region, lat, lng, upload_url, is_fallback) VALUES
    ('edge-sfo', 'San Francisco', 'us-west', 37.7749, -122.4194, 'https://sfo.edge.jettyspeed.io/upload', false),
    ('edge-lax', 'Los Angeles', 'us-west', 34.0522, -118.2437, 'https://lax.edge.jettyspeed.io/upload', false),
    ('edge-sea', 'Seattle', 'us-west', 47.6062, -122.3321, 'https://sea.edge.jettyspeed.io/upload', false),
    ('edge-dfw', 'Dallas', 'us-central', 32.7767, -96.797, 'https://dfw.edge.jettyspeed.io/upload', false),
    ('edge-ord', 'Chicago', 'us-central', 41.8781, -87.6298, 'https://ord.edge.jettyspeed.io/upload', false),
    ('edge-iad', 'Ashburn', 'us-east', 39.0438, -77.4874, 'https://iad.edge.jettyspeed.io/upload', false),
    ('edge-nyc', 'New York', 'us-east', 40.7128, -74.006, 'https://nyc.edge.jettyspeed.io/upload', false),
    ('edge-mia', 'Miami', 'us-east', 25.7617, -80.1918, 'https://mia.edge.jettyspeed.io/upload', false),
    ('edge-yyz', 'Toronto', 'ca-central', 43.6532, -79.3832, 'https://yyz.edge.jettyspeed.io/upload', false),
    ('edge-gru', 'Sao Paulo', 'sa-east', -23.5505, -46.6333, 'https://gru.edge.jettyspeed.io/upload', false),
    ('edge-lhr', 'London', 'eu-west', 51.5074, -0.1278, 'https://lhr.edge.jettyspeed.io/upload', false),
    ('edge-fra', 'Frankfurt', 'eu-central', 50.1109, 8.6821, 'https://fra.edge.jettyspeed.io/upload', false),
    ('edge-ams', 'Amsterdam', 'eu-west', 52.3676, 4.9041, 'https://ams.edge.jettyspeed.io/upload', false),
    ('edge-cdg', 'Paris', 'eu-west', 48.8566, 2.3522, 'https://cdg.edge.jettyspeed.io/upload', false),
    ('edge-sin', 'Singapore', 'ap-southeast', 1.3521, 103.8198, 'https://sin.edge.jettyspeed.io/upload', false),
    ('edge-nrt', 'Tokyo', 'ap-northeast', 35.6762, 139.6503, 'https://nrt.edge.jettyspeed.io/upload', false),
    ('edge-hkg', 'Hong Kong', 'ap-east', 22.3193, 114.1694, 'https://hkg.edge.jettyspeed.io/upload', false),
    ('edge-syd', 'Sydney', 'ap-southeast', -33.8688, 151.2093, 'https://syd.edge.jettyspeed.io/upload', false),
    ('edge-bom', 'Mumbai', 'ap-south', 19.076, 72.8777, 'https://bom.edge.jettyspeed.io/upload', false),
    ('edge-jnb', 'Johannesburg', 'af-south', -26.2041, 28.0473, 'https://jnb.edge.jettyspeed.io/upload', false),
    ('direct-storage', 'Origin', 'global', 39.0438, -77.4874, 'https://storage.jettyspeed.io/upload', true);

CREATE TABLE edge_health (
    edge_id               text             PRIMARY KEY REFERENCES edges (edge_id),
    state                 text             NOT NULL,
    score                 double precision NOT NULL,
    latency_ms            double precision,
    bandwidth_mbps        double precision,
    load                  double precision,
    error_rate            double precision,
    consecutive_failures  integer          NOT NULL,
    times_ejected         integer          NOT NULL,
    ejected_until         timestamptz,
    last_sample_at        timestamptz,
    reasons               text[]           NOT NULL,
    updated_at            timestamptz      NOT NULL
);
COMMENT ON TABLE edge_health IS 'Latest health of each edge as the stream processors score it (one row per edge).';
COMMENT ON COLUMN edge_health.state IS 'HEALTHY, DEGRADED, STALE (no recent sample) or EJECTED (outlier detection).';
COMMENT ON COLUMN edge_health.score IS 'Health score in [0, 1]; 0 is never recommended.';
COMMENT ON COLUMN edge_health.latency_ms IS 'Peak-EWMA latency estimate in milliseconds.';
COMMENT ON COLUMN edge_health.bandwidth_mbps IS 'Decayed bandwidth estimate in megabits per second.';
COMMENT ON COLUMN edge_health.load IS 'Decayed load estimate, 0 to 1.';
COMMENT ON COLUMN edge_health.error_rate IS 'Decayed error-rate estimate, 0 to 1.';
COMMENT ON COLUMN edge_health.consecutive_failures IS 'Chunk failures in a row since the last success.';
COMMENT ON COLUMN edge_health.times_ejected IS 'How often the edge has been ejected; the ejection time grows with it.';
COMMENT ON COLUMN edge_health.ejected_until IS 'End of the current ejection, if ejected.';
COMMENT ON COLUMN edge_health.last_sample_at IS 'Event time of the newest probe sample or chunk outcome.';
COMMENT ON COLUMN edge_health.reasons IS 'Why the score is what it is, in words.';
COMMENT ON COLUMN edge_health.updated_at IS 'When the processors last changed this row.';

CREATE TABLE files (
    file_hash           text             PRIMARY KEY,
    owner_user_id       text             NOT NULL,
    session_id          text             NOT NULL,
    file_name           text,
    file_size_bytes     bigint           NOT NULL,
    location            text             NOT NULL,
    first_seen          timestamptz      NOT NULL,
    last_referenced_at  timestamptz      NOT NULL,
    reference_count     bigint           NOT NULL,
    clone_count         bigint           NOT NULL,
    bytes_saved         bigint           NOT NULL,
    seconds_saved       double precision NOT NULL
);
COMMENT ON TABLE files IS 'The dedup index: one canonical stored file per SHA-256 content hash.';
COMMENT ON COLUMN files.file_hash IS 'SHA-256 of the content, 64 lower-case hex characters.';
COMMENT ON COLUMN files.owner_user_id IS 'User whose upload stored the content first.';
COMMENT ON COLUMN files.session_id IS 'Upload session that stored it.';
COMMENT ON COLUMN files.file_name IS 'Name of the first upload.';
COMMENT ON COLUMN files.file_size_bytes IS 'Size in bytes.';
COMMENT ON COLUMN files.location IS 'Where the content is stored.';
COMMENT ON COLUMN files.first_seen IS 'When the first upload completed.';
COMMENT ON COLUMN files.last_referenced_at IS 'When it was last stored or cloned.';
COMMENT ON COLUMN files.reference_count IS 'References to the content: the original plus every clone.';
COMMENT ON COLUMN files.clone_count IS 'Instant clones and duplicate uploads of this content.';
COMMENT ON COLUMN files.bytes_saved IS 'Bytes not uploaded thanks to dedup of this content.';
COMMENT ON COLUMN files.seconds_saved IS 'Estimated upload seconds saved thanks to dedup of this content.';

CREATE TABLE dedup_clones (
    event_id         text             PRIMARY KEY,
    file_hash        text             NOT NULL,
    user_id          text             NOT NULL,
    owner_user_id    text             NOT NULL,
    session_id       text,
    kind             text             NOT NULL,
    file_size_bytes  bigint           NOT NULL,
    bytes_saved      bigint           NOT NULL,
    seconds_saved    double precision NOT NULL,
    cloned_at        timestamptz      NOT NULL
);
CREATE INDEX dedup_clones_cloned_at ON dedup_clones (cloned_at);
CREATE INDEX dedup_clones_user_id ON dedup_clones (user_id);
COMMENT ON TABLE dedup_clones IS 'Every dedup hit: an instant clone (check-duplicate hit) or a duplicate upload resolved to the canonical file.';
COMMENT ON COLUMN dedup_clones.event_id IS 'Id of the clone fact; replays insert it once.';
COMMENT ON COLUMN dedup_clones.file_hash IS 'Content hash cloned.';
COMMENT ON COLUMN dedup_clones.user_id IS 'User who got the clone.';
COMMENT ON COLUMN dedup_clones.owner_user_id IS 'Owner of the canonical file.';
COMMENT ON COLUMN dedup_clones.session_id IS 'Upload session of a duplicate upload, if any.';
COMMENT ON COLUMN dedup_clones.kind IS 'INSTANT_CLONE or DUPLICATE_UPLOAD.';
COMMENT ON COLUMN dedup_clones.file_size_bytes IS 'Size of the content in bytes.';
COMMENT ON COLUMN dedup_clones.bytes_saved IS 'Bytes not uploaded.';
COMMENT ON COLUMN dedup_clones.seconds_saved IS 'Estimated upload seconds saved.';
COMMENT ON COLUMN dedup_clones.cloned_at IS 'Event time of the clone.';

CREATE TABLE upload_sessions (
    session_id                   text             PRIMARY KEY,
    user_id                      text,
    file_hash                    text,
    file_name                    text,
    file_size_bytes              bigint,
    chunk_size_bytes             integer,
    total_chunks                 integer,
    completed_chunks             integer          NOT NULL,
    failed_chunks                integer          NOT NULL,
    bytes_uploaded               bigint           NOT NULL,
    status                       text             NOT NULL,
    plan                         text,
    device_id                    text,
    started_at                   timestamptz,
    updated_at                   timestamptz      NOT NULL,
    completed_at                 timestamptz,
    duration_ms                  bigint,
    throughput_bytes_per_second  double precision,
    edges_used                   text[]           NOT NULL,
    error_message                text
);
CREATE INDEX upload_sessions_user_id ON upload_sessions (user_id);
CREATE INDEX upload_sessions_started_at ON upload_sessions (started_at);
COMMENT ON TABLE upload_sessions IS 'Latest state of every upload session.';
COMMENT ON COLUMN upload_sessions.session_id IS 'Session id returned by track-upload start.';
COMMENT ON COLUMN upload_sessions.user_id IS 'User who uploads.';
COMMENT ON COLUMN upload_sessions.file_hash IS 'Content hash of the file.';
COMMENT ON COLUMN upload_sessions.file_name IS 'File name.';
COMMENT ON COLUMN upload_sessions.file_size_bytes IS 'File size in bytes.';
COMMENT ON COLUMN upload_sessions.chunk_size_bytes IS 'Chunk size in bytes.';
COMMENT ON COLUMN upload_sessions.total_chunks IS 'Number of chunks of the file.';
COMMENT ON COLUMN upload_sessions.completed_chunks IS 'Chunks completed so far.';
COMMENT ON COLUMN upload_sessions.failed_chunks IS 'Chunk failures reported (retries count again).';
COMMENT ON COLUMN upload_sessions.bytes_uploaded IS 'Bytes transferred.';
COMMENT ON COLUMN upload_sessions.status IS 'STARTED, UPLOADING, COMPLETED, FAILED or EXPIRED (idle too long).';
COMMENT ON COLUMN upload_sessions.plan IS 'User plan at start.';
COMMENT ON COLUMN upload_sessions.device_id IS 'Device that last reported.';
COMMENT ON COLUMN upload_sessions.started_at IS 'Event time of start.';
COMMENT ON COLUMN upload_sessions.updated_at IS 'Event time of the newest event applied.';
COMMENT ON COLUMN upload_sessions.completed_at IS 'Event time of complete.';
COMMENT ON COLUMN upload_sessions.duration_ms IS 'From start to complete, in milliseconds.';
COMMENT ON COLUMN upload_sessions.throughput_bytes_per_second IS 'Bytes uploaded divided by duration.';
COMMENT ON COLUMN upload_sessions.edges_used IS 'Edges the chunks went through.';
COMMENT ON COLUMN upload_sessions.error_message IS 'Why it failed, if it failed.';

CREATE TABLE user_stats (
    user_id                 text             PRIMARY KEY,
    plan                    text             NOT NULL,
    quota_bytes             bigint           NOT NULL,
    storage_used_bytes      bigint           NOT NULL,
    uploads_started         bigint           NOT NULL,
    uploads_completed       bigint           NOT NULL,
    uploads_failed          bigint           NOT NULL,
    uploads_expired         bigint           NOT NULL,
    bytes_uploaded          bigint           NOT NULL,
    clones                  bigint           NOT NULL,
    bytes_saved             bigint           NOT NULL,
    seconds_saved           double precision NOT NULL,
    throughput_p50          double precision,
    throughput_p90          double precision,
    throughput_p99          double precision,
    updated_at              timestamptz      NOT NULL
);
COMMENT ON TABLE user_stats IS 'Per-user totals as the stream processors keep them (one row per user).';
COMMENT ON COLUMN user_stats.plan IS 'STARTER, PRO or BUSINESS.';
COMMENT ON COLUMN user_stats.quota_bytes IS 'Storage quota of the plan in bytes.';
COMMENT ON COLUMN user_stats.storage_used_bytes IS 'Bytes of stored content the user holds (uploads and clones).';
COMMENT ON COLUMN user_stats.uploads_started IS 'Upload sessions started.';
COMMENT ON COLUMN user_stats.uploads_completed IS 'Upload sessions completed.';
COMMENT ON COLUMN user_stats.uploads_failed IS 'Upload sessions failed.';
COMMENT ON COLUMN user_stats.uploads_expired IS 'Upload sessions expired without progress.';
COMMENT ON COLUMN user_stats.bytes_uploaded IS 'Bytes uploaded by completed uploads.';
COMMENT ON COLUMN user_stats.clones IS 'Dedup hits the user got.';
COMMENT ON COLUMN user_stats.bytes_saved IS 'Bytes the user did not upload thanks to dedup.';
COMMENT ON COLUMN user_stats.seconds_saved IS 'Estimated upload seconds saved by dedup.';
COMMENT ON COLUMN user_stats.throughput_p50 IS 'Median upload throughput, bytes per second.';
COMMENT ON COLUMN user_stats.throughput_p90 IS '90th percentile upload throughput, bytes per second.';
COMMENT ON COLUMN user_stats.throughput_p99 IS '99th percentile upload throughput, bytes per second.';
COMMENT ON COLUMN user_stats.updated_at IS 'When the processors last changed this row.';

-- Raw facts, each once (primary key event_id): the rollups below are built from newly inserted ones only.
CREATE TABLE edge_samples (
    event_id        text             PRIMARY KEY,
    edge_id         text             NOT NULL,
    sample_time     timestamptz      NOT NULL,
    latency_ms      double precision NOT NULL,
    bandwidth_mbps  double precision NOT NULL,
    load            double precision NOT NULL,
    error_rate      double precision NOT NULL
);
CREATE INDEX edge_samples_edge_time ON edge_samples (edge_id, sample_time);
COMMENT ON TABLE edge_samples IS 'Every edge probe sample, once per event_id.';

CREATE TABLE chunk_outcomes (
    event_id     text        PRIMARY KEY,
    session_id   text        NOT NULL,
    chunk_index  integer     NOT NULL,
    status       text        NOT NULL,
    edge_id      text,
    chunk_bytes  bigint,
    duration_ms  bigint,
    event_time   timestamptz NOT NULL
);
CREATE INDEX chunk_outcomes_edge_time ON chunk_outcomes (edge_id, event_time);
COMMENT ON TABLE chunk_outcomes IS 'Every completed or failed chunk report, once per event_id.';

CREATE TABLE edge_minute_rollups (
    edge_id              text             NOT NULL,
    minute               timestamptz      NOT NULL,
    probe_samples        bigint           NOT NULL DEFAULT 0,
    latency_ms_sum       numeric          NOT NULL DEFAULT 0,
    latency_ms_max       double precision,
    bandwidth_mbps_sum   numeric          NOT NULL DEFAULT 0,
    load_sum             numeric          NOT NULL DEFAULT 0,
    error_rate_sum       numeric          NOT NULL DEFAULT 0,
    chunk_successes      bigint           NOT NULL DEFAULT 0,
    chunk_failures       bigint           NOT NULL DEFAULT 0,
    chunk_bytes          bigint           NOT NULL DEFAULT 0,
    chunk_duration_ms    bigint           NOT NULL DEFAULT 0,
    PRIMARY KEY (edge_id, minute)
);
COMMENT ON TABLE edge_minute_rollups IS 'Per edge and minute (event time): probe sample sums and chunk outcomes. Averages = sum / count. Sums are numeric so that they do not depend on the order samples arrived in.';
COMMENT ON COLUMN edge_minute_rollups.probe_samples IS 'Probe samples in the minute.';
COMMENT ON COLUMN edge_minute_rollups.latency_ms_sum IS 'Sum of probe latencies (ms); divide by probe_samples.';
COMMENT ON COLUMN edge_minute_rollups.latency_ms_max IS 'Highest probe latency (ms).';
COMMENT ON COLUMN edge_minute_rollups.bandwidth_mbps_sum IS 'Sum of probe bandwidths (Mbps).';
COMMENT ON COLUMN edge_minute_rollups.load_sum IS 'Sum of probe loads.';
COMMENT ON COLUMN edge_minute_rollups.error_rate_sum IS 'Sum of probe error rates.';
COMMENT ON COLUMN edge_minute_rollups.chunk_successes IS 'Chunks completed through the edge.';
COMMENT ON COLUMN edge_minute_rollups.chunk_failures IS 'Chunks failed through the edge.';
COMMENT ON COLUMN edge_minute_rollups.chunk_bytes IS 'Bytes of completed chunks.';
COMMENT ON COLUMN edge_minute_rollups.chunk_duration_ms IS 'Milliseconds spent on completed chunks.';

-- Where the sink is in each partition, written in the same transaction as the rows it produced.
CREATE TABLE sink_offsets (
    topic        text    NOT NULL,
    partition    integer NOT NULL,
    next_offset  bigint  NOT NULL,
    PRIMARY KEY (topic, partition)
);
COMMENT ON TABLE sink_offsets IS 'Next Kafka offset to read per topic partition; committed atomically with the data, so a crash never loses or doubles a row.';

CREATE VIEW edge_hour_rollups AS
SELECT edge_id,
       date_trunc('hour', minute)  AS hour,
       sum(probe_samples)          AS probe_samples,
       sum(latency_ms_sum)         AS latency_ms_sum,
       max(latency_ms_max)         AS latency_ms_max,
       sum(bandwidth_mbps_sum)     AS bandwidth_mbps_sum,
       sum(load_sum)               AS load_sum,
       sum(error_rate_sum)         AS error_rate_sum,
       sum(chunk_successes)        AS chunk_successes,
       sum(chunk_failures)         AS chunk_failures,
       sum(chunk_bytes)            AS chunk_bytes,
       sum(chunk_duration_ms)      AS chunk_duration_ms
FROM edge_minute_rollups
GROUP BY edge_id, date_trunc('hour', minute);
COMMENT ON VIEW edge_hour_rollups IS 'edge_minute_rollups summed per hour.';

CREATE VIEW user_daily_rollups AS
WITH uploads AS (
    SELECT user_id, (started_at AT TIME ZONE 'UTC')::date AS day,
           count(*)                                        AS uploads_started,
           count(*) FILTER (WHERE status = 'COMPLETED')    AS uploads_completed,
           count(*) FILTER (WHERE status = 'FAILED')       AS uploads_failed,
           coalesce(sum(bytes_uploaded) FILTER (WHERE status = 'COMPLETED'), 0) AS bytes_uploaded
    FROM upload_sessions
    WHERE user_id IS NOT NULL AND started_at IS NOT NULL
    GROUP BY 1, 2
), clones AS (
    SELECT user_id, (cloned_at AT TIME ZONE 'UTC')::date AS day,
           count(*) AS clones, sum(bytes_saved) AS bytes_saved, sum(seconds_saved) AS seconds_saved
    FROM dedup_clones
    GROUP BY 1, 2
)
SELECT coalesce(u.user_id, c.user_id)          AS user_id,
       coalesce(u.day, c.day)                  AS day,
       coalesce(u.uploads_started, 0)          AS uploads_started,
       coalesce(u.uploads_completed, 0)        AS uploads_completed,
       coalesce(u.uploads_failed, 0)           AS uploads_failed,
       coalesce(u.bytes_uploaded, 0)           AS bytes_uploaded,
       coalesce(c.clones, 0)                   AS clones,
       coalesce(c.bytes_saved, 0)              AS bytes_saved,
       coalesce(c.seconds_saved, 0)            AS seconds_saved
FROM uploads u FULL JOIN clones c ON u.user_id = c.user_id AND u.day = c.day;
COMMENT ON VIEW user_daily_rollups IS 'Per user and UTC day (of start, or of the clone): uploads and dedup savings.';

CREATE VIEW user_upload_stats AS
SELECT s.user_id,
       s.plan,
       s.uploads_started,
       s.uploads_completed,
       s.uploads_failed,
       s.uploads_expired,
       s.bytes_uploaded,
       s.clones                                   AS dedup_hits,
       s.bytes_saved,
       s.seconds_saved,
       s.storage_used_bytes,
       s.quota_bytes,
       round((100.0 * s.storage_used_bytes / nullif(s.quota_bytes, 0))::numeric, 2) AS quota_used_percent,
       s.throughput_p50                           AS throughput_p50_bytes_per_second,
       s.throughput_p90                           AS throughput_p90_bytes_per_second,
       s.throughput_p99                           AS throughput_p99_bytes_per_second,
       s.updated_at
FROM user_stats s;
COMMENT ON VIEW user_upload_stats IS 'One row per user: uploads, bytes, dedup savings, storage against the plan quota, throughput percentiles.';
COMMENT ON COLUMN user_upload_stats.dedup_hits IS 'Instant clones and duplicate uploads the user got.';
COMMENT ON COLUMN user_upload_stats.quota_used_percent IS 'storage_used_bytes as a percentage of quota_bytes.';

CREATE VIEW deduplication_savings AS
SELECT (cloned_at AT TIME ZONE 'UTC')::date AS day,
       count(*)                             AS clones,
       count(*) FILTER (WHERE kind = 'INSTANT_CLONE')    AS instant_clones,
       count(*) FILTER (WHERE kind = 'DUPLICATE_UPLOAD') AS duplicate_uploads,
       count(DISTINCT file_hash)            AS distinct_files,
       count(DISTINCT user_id)              AS users,
       sum(bytes_saved)                     AS bytes_saved,
       sum(seconds_saved)                   AS seconds_saved
FROM dedup_clones
GROUP BY 1;
COMMENT ON VIEW deduplication_savings IS 'Per UTC day: dedup hits and the bytes and upload time they saved.';
COMMENT ON COLUMN deduplication_savings.clones IS 'All dedup hits of the day.';
COMMENT ON COLUMN deduplication_savings.instant_clones IS 'Hits answered before any upload (check-duplicate).';
COMMENT ON COLUMN deduplication_savings.duplicate_uploads IS 'Uploads of content already stored, resolved to the canonical file.';
COMMENT ON COLUMN deduplication_savings.distinct_files IS 'Different contents cloned.';
COMMENT ON COLUMN deduplication_savings.users IS 'Different users who got a clone.';
COMMENT ON COLUMN deduplication_savings.bytes_saved IS 'Bytes not uploaded.';
COMMENT ON COLUMN deduplication_savings.seconds_saved IS 'Estimated upload seconds saved.';

CREATE VIEW edge_performance_24h AS
WITH recent AS (
    SELECT edge_id,
           sum(probe_samples)     AS probe_samples,
           sum(latency_ms_sum)    AS latency_ms_sum,
           max(latency_ms_max)    AS latency_ms_max,
           sum(bandwidth_mbps_sum) AS bandwidth_mbps_sum,
           sum(load_sum)          AS load_sum,
           sum(error_rate_sum)    AS error_rate_sum,
           sum(chunk_successes)   AS chunk_successes,
           sum(chunk_failures)    AS chunk_failures,
           sum(chunk_bytes)       AS chunk_bytes,
           sum(chunk_duration_ms) AS chunk_duration_ms
    FROM edge_minute_rollups
    WHERE minute >= now() - interval '24 hours'
    GROUP BY edge_id
)
SELECT e.edge_id,
       e.city,
       e.region,
       coalesce(r.probe_samples, 0)                                   AS probe_samples,
       r.latency_ms_sum / nullif(r.probe_samples, 0)                  AS avg_latency_ms,
       r.latency_ms_max                                               AS max_latency_ms,
       r.bandwidth_mbps_sum / nullif(r.probe_samples, 0)              AS avg_bandwidth_mbps,
       r.load_sum / nullif(r.probe_samples, 0)                        AS avg_load,
       r.error_rate_sum / nullif(r.probe_samples, 0)                  AS avg_probe_error_rate,
       coalesce(r.chunk_successes, 0)                                 AS chunk_successes,
       coalesce(r.chunk_failures, 0)                                  AS chunk_failures,
       r.chunk_failures::double precision / nullif(r.chunk_successes + r.chunk_failures, 0) AS chunk_error_rate,
       coalesce(r.chunk_bytes, 0)                                     AS chunk_bytes,
       r.chunk_bytes * 8.0 / 1e6 / nullif(r.chunk_duration_ms / 1000.0, 0) AS observed_throughput_mbps,
       h.state                                                        AS current_state,
       h.score                                                        AS current_score
FROM edges e
LEFT JOIN recent r ON r.edge_id = e.edge_id
LEFT JOIN edge_health h ON h.edge_id = e.edge_id
WHERE NOT e.is_fallback;
COMMENT ON VIEW edge_performance_24h IS 'Per edge over the last 24 hours (event time): probe averages, chunk outcomes and error rate, current health.';
COMMENT ON COLUMN edge_performance_24h.avg_latency_ms IS 'Mean probe latency in milliseconds.';
COMMENT ON COLUMN edge_performance_24h.max_latency_ms IS 'Highest probe latency in milliseconds.';
COMMENT ON COLUMN edge_performance_24h.avg_bandwidth_mbps IS 'Mean probe bandwidth in megabits per second.';
COMMENT ON COLUMN edge_performance_24h.avg_load IS 'Mean probe load, 0 to 1.';
COMMENT ON COLUMN edge_performance_24h.avg_probe_error_rate IS 'Mean error rate the probes reported, 0 to 1.';
COMMENT ON COLUMN edge_performance_24h.chunk_successes IS 'Chunks completed through the edge.';
COMMENT ON COLUMN edge_performance_24h.chunk_failures IS 'Chunks failed through the edge.';
COMMENT ON COLUMN edge_performance_24h.chunk_error_rate IS 'chunk_failures / (chunk_successes + chunk_failures) of real uploads.';
COMMENT ON COLUMN edge_performance_24h.chunk_bytes IS 'Bytes of completed chunks.';
COMMENT ON COLUMN edge_performance_24h.observed_throughput_mbps IS 'Completed chunk bytes over their transfer time, in megabits per second.';
COMMENT ON COLUMN edge_performance_24h.current_state IS 'Current health state from edge_health.';
COMMENT ON COLUMN edge_performance_24h.current_score IS 'Current health score from edge_health.';
