package io.jettyspeed.bench;

import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.Plan;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.UserStats;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.schemas.edges.EdgeLocation;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Request bodies and records the rows send, built before a window so that building them is never measured. */
public final class Payloads {

    /** The catalogued edges (twenty, as seeded). */
    public static final List<String> EDGES = EdgeCatalog.EDGES.stream().map(EdgeLocation::edgeId).toList();

    private Payloads() {
    }

    /** {@code n} probe samples, edges in turn, 20 per millisecond of event time from {@code time}. */
    public static List<EdgeMetricSample> edgeSamples(String idPrefix, int n, Instant time, Random random) {
        List<EdgeMetricSample> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Instant t = time.plusMillis(i / 20).truncatedTo(ChronoUnit.MILLIS);
            samples.add(edgeSample(idPrefix + i, EDGES.get(i % EDGES.size()), t, random));
        }
        return samples;
    }

    public static EdgeMetricSample edgeSample(String eventId, String edgeId, Instant time, Random random) {
        Instant t = time.truncatedTo(ChronoUnit.MILLIS);
        return EdgeMetricSample.newBuilder()
                .setEventId(eventId)
                .setEventTime(t)
                .setReceivedAt(t)
                .setEdgeId(edgeId)
                .setLatencyMs(Math.round((20 + random.nextDouble() * 80) * 10) / 10.0)
                .setBandwidthMbps(Math.round((200 + random.nextDouble() * 800) * 10) / 10.0)
                .setLoad(Math.round(random.nextDouble() * 0.8 * 1000) / 1000.0)
                .setErrorRate(Math.round(random.nextDouble() * 0.01 * 10000) / 10000.0)
                .build();
    }

    /** One sample as the edge-metrics endpoint takes it. */
    public static String sampleJson(EdgeMetricSample s) {
        return String.format(Locale.ROOT,
                "{\"eventId\":\"%s\",\"edgeId\":\"%s\",\"latencyMs\":%.1f,\"bandwidthMbps\":%.1f,\"load\":%.3f,\"errorRate\":%.4f}",
                s.getEventId(), s.getEdgeId(), s.getLatencyMs(), s.getBandwidthMbps(), s.getLoad(), s.getErrorRate());
    }

    /** An edge-metrics body with these samples. */
    public static String samplesBody(List<EdgeMetricSample> samples) {
        StringBuilder body = new StringBuilder("{\"samples\":[");
        for (int i = 0; i < samples.size(); i++) {
            body.append(i == 0 ? "" : ",").append(sampleJson(samples.get(i)));
        }
        return body.append("]}").toString();
    }

    /** Records with Avro values encoded by the topic's own serde, as the services encode them. */
    public static <V> List<ProducerRecord<String, byte[]>> encode(Topic<String, V> topic, List<V> values,
            Function<V, String> key) {
        var serializer = topic.valueSerde().serializer();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(values.size());
        for (V v : values) {
            records.add(new ProducerRecord<>(topic.name(), key.apply(v), serializer.serialize(topic.name(), v)));
        }
        return records;
    }

    /** {@code n} user_stats rows for new users {@code <tag>-<i>}, every column filled. */
    public static List<UserStats> userStats(String tag, int n) {
        List<UserStats> rows = new ArrayList<>(n);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < n; i++) {
            rows.add(UserStats.newBuilder()
                    .setUserId("usr_" + tag + "_" + i)
                    .setPlan(i % 10 < 6 ? Plan.STARTER : i % 10 < 9 ? Plan.PRO : Plan.BUSINESS)
                    .setQuotaBytes(2_000_000_000L)
                    .setStorageUsedBytes(1_000_000L * i)
                    .setUploadsStarted(i % 50)
                    .setUploadsCompleted(i % 40)
                    .setUploadsFailed(i % 3)
                    .setUploadsExpired(0)
                    .setBytesUploaded(5_000_000L * (i % 40))
                    .setClones(i % 7)
                    .setBytesSaved(3_000_000L * (i % 7))
                    .setSecondsSaved(0.5 * (i % 7))
                    .setThroughputP50(1.0e6 + i)
                    .setThroughputP90(2.0e6 + i)
                    .setThroughputP99(3.0e6 + i)
                    .setUpdatedAt(now)
                    .build());
        }
        return rows;
    }

    /** 64 lower-case hex characters, as the gateway normalises SHA-256 hashes. */
    public static String hash(Random random) {
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < 64; i++) {
            sb.append(Character.forDigit(random.nextInt(16), 16));
        }
        return sb.toString();
    }
}
