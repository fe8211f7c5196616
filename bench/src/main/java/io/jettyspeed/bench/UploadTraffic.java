package io.jettyspeed.bench;

import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.DedupCheckSource;
import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.Plan;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadAction;
import io.jettyspeed.schemas.UploadEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the gateway publishes while clients upload, as Avro records for the four input topics, so a
 * row can drive every topology without the gateway in the way. The mix, per burst:
 * <ul>
 *   <li>{@value #PROBE_SHARE} of the records are edge probe samples (edge-metrics, key edgeId),
 *       the twenty edges in turn;</li>
 *   <li>the rest are uploads: {@code start} → 4-16 chunks ({@code completed}, each through one of
 *       the upload's two edges, {@value #CHUNK_RETRY_SHARE} of them {@code failed} once first) →
 *       {@code complete}, or {@code fail} halfway for {@value #FAILED_SHARE} of uploads
 *       (upload-events and chunk-events, key sessionId);</li>
 *   <li>{@value #DUPLICATE_SHARE} of the uploads are of content stored in an earlier burst: half
 *       of those clients got a {@code check-duplicate} hit and do not upload (a dedup-check record
 *       from another user, key fileHash: the gateway publishes a check only for a hit); the other
 *       half upload the same content again (a duplicate completion).</li>
 * </ul>
 * So edge health (probes and chunk outcomes, through its repartition topics), upload sessions,
 * the dedup index (completed sessions through its repartition topic, and check hits) and per-user
 * stats (sessions through their repartition topic, and clones) all have work. Records come in
 * event-time order, sessions interleaved; the generator is seeded, so one burst can be encoded for
 * two sides and both get exactly the same records.
 */
public final class UploadTraffic {

    static final double PROBE_SHARE = 0.2;
    static final double DUPLICATE_SHARE = 0.2;
    static final double FAILED_SHARE = 0.05;
    static final double CHUNK_RETRY_SHARE = 0.03;
    static final int USERS = 1_000;
    static final long CHUNK_SIZE = 5L * 1024 * 1024;

    /** Which input topic an event goes to. */
    public enum Kind { UPLOAD, CHUNK, PROBE, CHECK }

    /** One record for an input topic. */
    public record Event(Kind kind, String key, SpecificRecord value, Instant time) {
    }

    /** Content stored by a completed upload. */
    record Stored(String hash, long size, String name, String owner) {
    }

    private final String tag;
    private final Random random;
    private final List<Stored> stored = new ArrayList<>();
    private long seq;

    public UploadTraffic(String tag, long seed) {
        this.tag = tag;
        this.random = new Random(seed);
    }

    /** About {@code records} records whose event times end near {@code end}; duplicates refer to earlier bursts. */
    public List<Event> burst(int records, Instant end) {
        List<Stored> before = List.copyOf(stored);
        List<Event> events = new ArrayList<>(records + 32);
        Instant base = end.minusSeconds(70);
        int probes = (int) Math.round(records * PROBE_SHARE);
        while (events.size() < records - probes) {
            Instant start = base.plusMillis(random.nextInt(60_000));
            String user = user(random.nextInt(USERS));
            if (!before.isEmpty() && random.nextDouble() < DUPLICATE_SHARE) {
                Stored content = before.get(random.nextInt(before.size()));
                if (random.nextBoolean()) {
                    events.add(check(content, user, start));
                } else {
                    upload(events, content, user, start, false);
                }
            } else {
                Stored content = new Stored(Payloads.hash(random), 0, "", user);
                upload(events, content, user, start, random.nextDouble() < FAILED_SHARE);
            }
        }
        for (int i = 0; i < probes; i++) {
            String edge = Payloads.EDGES.get(i % Payloads.EDGES.size());
            EdgeMetricSample sample = Payloads.edgeSample(id("p"), edge, base.plusMillis(random.nextInt(60_000)), random);
            events.add(new Event(Kind.PROBE, edge, sample, sample.getEventTime()));
        }
        events.sort(Comparator.comparing(Event::time));
        return events;
    }

    /** {@code uploads} completed uploads of new content, and nothing else (to fill a dedup index). */
    public List<Event> completedUploads(int uploads, Instant end) {
        List<Event> events = new ArrayList<>();
        Instant base = end.minusSeconds(70);
        for (int i = 0; i < uploads; i++) {
            String user = user(random.nextInt(USERS));
            upload(events, new Stored(Payloads.hash(random), 0, "", user), user, base.plusMillis(random.nextInt(60_000)), false);
        }
        events.sort(Comparator.comparing(Event::time));
        return events;
    }

    /** Hashes of the content completed uploads have stored so far. */
    public List<String> storedHashes() {
        return stored.stream().map(Stored::hash).toList();
    }

    private void upload(List<Event> events, Stored content, String user, Instant start, boolean fails) {
        String session = id("s");
        int chunks = content.size() > 0 ? (int) ((content.size() + CHUNK_SIZE - 1) / CHUNK_SIZE) : 4 + random.nextInt(13);
        long size = content.size() > 0 ? content.size() : chunks * CHUNK_SIZE - random.nextInt((int) (CHUNK_SIZE / 2));
        String name = content.size() > 0 ? content.name() : "file-" + session + ".bin";
        List<String> edges = List.of(Payloads.EDGES.get(random.nextInt(Payloads.EDGES.size())),
                Payloads.EDGES.get(random.nextInt(Payloads.EDGES.size())));
        Instant t = start;
        events.add(new Event(Kind.UPLOAD, session, UploadEvent.newBuilder()
                .setEventId(id("u")).setEventTime(ms(t)).setReceivedAt(ms(t)).setAction(UploadAction.START)
                .setSessionId(session).setUserId(user).setFileHash(content.hash()).setFileName(name).setFileSize(size)
                .setChunkSize((int) CHUNK_SIZE).setTotalChunks(chunks).setEdgeIds(edges).setPlan(plan(user))
                .setDeviceId(user + "-laptop").build(), ms(t)));
        int last = fails ? chunks / 2 : chunks;
        for (int i = 0; i < last; i++) {
            String edge = edges.get(i % 2);
            long bytes = i == chunks - 1 ? size - (chunks - 1) * CHUNK_SIZE : CHUNK_SIZE;
            if (random.nextDouble() < CHUNK_RETRY_SHARE) {
                t = t.plusMillis(100 + random.nextInt(300));
                events.add(chunk(session, user, i, ChunkStatus.FAILED, edge, bytes, t));
            }
            t = t.plusMillis(100 + random.nextInt(300));
            events.add(chunk(session, user, i, ChunkStatus.COMPLETED, edge, bytes, t));
        }
        t = t.plusMillis(20);
        UploadEvent.Builder end = UploadEvent.newBuilder().setEventId(id("u")).setEventTime(ms(t)).setReceivedAt(ms(t))
                .setSessionId(session).setUserId(user).setEdgeIds(edges);
        if (fails) {
            end.setAction(UploadAction.FAIL).setErrorMessage("connection reset by peer");
        } else {
            end.setAction(UploadAction.COMPLETE).setBytesUploaded(size);
            if (content.size() == 0) {
                stored.add(new Stored(content.hash(), size, name, user));
            }
        }
        events.add(new Event(Kind.UPLOAD, session, end.build(), ms(t)));
    }

    private Event chunk(String session, String user, int index, ChunkStatus status, String edge, long bytes, Instant t) {
        return new Event(Kind.CHUNK, session, ChunkEvent.newBuilder()
                .setEventId(id("c")).setEventTime(ms(t)).setReceivedAt(ms(t)).setSessionId(session).setUserId(user)
                .setChunkIndex(index).setStatus(status).setEdgeId(edge).setChunkBytes(bytes)
                .setDurationMs(100L + random.nextInt(300))
                .setErrorMessage(status == ChunkStatus.FAILED ? "timeout" : null).build(), ms(t));
    }

    private Event check(Stored content, String user, Instant t) {
        return new Event(Kind.CHECK, content.hash(), DedupCheck.newBuilder()
                .setEventId(id("d")).setEventTime(ms(t)).setReceivedAt(ms(t)).setFileHash(content.hash())
                .setUserId(user).setFileSize(content.size()).setFileName(content.name())
                .setSource(DedupCheckSource.CHECK_DUPLICATE).build(), ms(t));
    }

    /** The records for the input topics of {@code topics}, values encoded by the topics' serdes; record time = event time. */
    public static List<ProducerRecord<String, byte[]>> encode(List<Event> events, Topics topics) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
        for (Event e : events) {
            records.add(switch (e.kind()) {
                case UPLOAD -> record(topics.uploadEvents(), UploadEvent.class, e);
                case CHUNK -> record(topics.chunkEvents(), ChunkEvent.class, e);
                case PROBE -> record(topics.edgeMetrics(), EdgeMetricSample.class, e);
                case CHECK -> record(topics.dedupChecks(), DedupCheck.class, e);
            });
        }
        return records;
    }

    private static <V> ProducerRecord<String, byte[]> record(Topic<String, V> topic, Class<V> type, Event e) {
        byte[] value = topic.valueSerde().serializer().serialize(topic.name(), type.cast(e.value()));
        return new ProducerRecord<>(topic.name(), null, e.time().toEpochMilli(), e.key(), value);
    }

    /** The four input topics of {@code topics}. */
    public static Set<String> inputTopics(Topics topics) {
        return Set.of(topics.uploadEvents().name(), topics.chunkEvents().name(), topics.edgeMetrics().name(),
                topics.dedupChecks().name());
    }

    private String id(String kind) {
        return "b-" + tag + "-" + kind + (seq++);
    }

    private static String user(int i) {
        return "usr_b" + i;
    }

    private static Plan plan(String user) {
        int i = Integer.parseInt(user.substring(5));
        return i % 10 < 6 ? Plan.STARTER : i % 10 < 9 ? Plan.PRO : Plan.BUSINESS;
    }

    private static Instant ms(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }
}
