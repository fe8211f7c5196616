package io.jettyspeed.bench;

import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.schemas.edges.EdgeLocation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Row 5: latency of the two read endpoints at {@code bench.read.rate} (1,000) requests per second
 * while {@code bench.ingest.rate} (2,000) edge samples per second are ingested.
 *
 * <p>Stage {@code b5}: the whole pipeline as deployed, on topics {@code b5.live.*}: gateway,
 * processors (exactly_once_v2) and sink. Before the windows: {@code 500} completed uploads of new
 * content go straight to the input topics, and the row waits until every group has consumed them
 * and the gateway answers a hit for them; then the probe traffic ({@link IngestBackground}) starts
 * and runs until the row ends, and the row waits until {@code optimal-edges} recommends edges
 * (edge health has reached the gateway). Then each endpoint gets a warm-up and one measured
 * window of {@code bench.read.ms}, open loop on {@code bench.read.connections} (32) connections,
 * latency from each request's scheduled time ({@link OpenLoop}):
 * <ul>
 *   <li><b>optimal-edges</b>: 256 different requests: users around the edges' cities, sizes from
 *       1 MB to 4 GB, hashes half stored, half new.</li>
 *   <li><b>check-duplicate</b>: {@code bench.read.hits} (half) of the requests for stored content
 *       (a hit records an instant clone, which flows on to the processors and the sink), the rest
 *       for new content; the answers are counted, so the report says how many hits there were.</li>
 * </ul>
 * Lines: p99 of each (target ≤ 5 ms), with the CPU per request of every process (probe traffic
 * included).
 */
public final class ReadLatencyRow extends Row {

    static final int STORED = 500;

    public ReadLatencyRow() {
        super(5, "row 5: optimal-edges and check-duplicate latency under ingest load");
    }

    @Override
    protected void run(Lab lab, BenchOptions o, Stage stage, Report report) throws Exception {
        Stage.Front front = stage.pipeline();
        Topics topics = front.topics();
        int port = front.port();
        String key = lab.apiKey();

        UploadTraffic traffic = new UploadTraffic(lab.runId() + "-r5", 5);
        try (KafkaProducer<String, byte[]> loader = lab.loader()) {
            for (ProducerRecord<String, byte[]> r : UploadTraffic.encode(traffic.completedUploads(STORED, Instant.now()), topics)) {
                loader.send(r);
            }
        }
        stage.awaitConsumed(List.of(topics.prefix()), UploadTraffic.inputTopics(topics), Duration.ofMinutes(5));
        List<String> stored = traffic.storedHashes();
        awaitAnswer(port, key, checkDuplicate(port, key, stored.get(stored.size() - 1), "usr_b5_probe"),
                "\"isDuplicate\":true", "the gateway to know the stored content");
        stage.awaitQuiet("starting the probe traffic");

        Random random = new Random(5);
        List<byte[]> edgesRequests = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            EdgeLocation near = EdgeCatalog.EDGES.get(i % EdgeCatalog.EDGES.size());
            String hash = i % 2 == 0 ? stored.get(random.nextInt(stored.size())) : Payloads.hash(random);
            edgesRequests.add(MiniHttp.post("localhost", port, "/api/jetty/optimal-edges", key, String.format(Locale.ROOT,
                    "{\"userId\":\"usr_b%d\",\"fileSize\":%d,\"fileHash\":\"sha256:%s\",\"userLocation\":{\"lat\":%.4f,\"lng\":%.4f}}",
                    random.nextInt(UploadTraffic.USERS), 1_000_000L + (long) (random.nextDouble() * 4e9), hash,
                    clamp(near.lat() + random.nextGaussian() * 2, -90, 90), clamp(near.lng() + random.nextGaussian() * 2, -180, 180))));
        }
        List<byte[]> dupRequests = new ArrayList<>();
        int hits = 0;
        for (int i = 0; i < 1024; i++) {
            boolean hit = random.nextDouble() < o.readHitShare();
            hits += hit ? 1 : 0;
            String hash = hit ? stored.get(random.nextInt(stored.size())) : Payloads.hash(random);
            dupRequests.add(checkDuplicate(port, key, hash, "usr_b" + random.nextInt(UploadTraffic.USERS)));
        }

        try (IngestBackground ingest = new IngestBackground(port, key, o.ingestRate(), lab.runId() + "-r5")) {
            awaitAnswer(port, key, edgesRequests.get(0), "\"degraded\":false", "optimal-edges to recommend edges");
            int rate = o.readRate();
            int conns = o.readConnections();
            Bench.log("warm-up at " + rate + " req/s per endpoint");
            Stage.WarmUp warmUp = stage.warmUpUntilCompiled("row 5", () -> {
                OpenLoop.run(stage, "warm-up", port, rate, conns, o.latencyWarmUp(), i -> edgesRequests.get((int) (i % 256)), null);
                OpenLoop.run(stage, "warm-up", port, rate, conns, o.latencyWarmUp(), i -> dupRequests.get((int) (i % 1024)), null);
            });
            OpenLoop.Result edges = OpenLoop.run(stage, "optimal-edges requests", port, rate, conns, o.readWindow(),
                    i -> edgesRequests.get((int) (i % 256)), "\"degraded\":false");
            OpenLoop.Result dups = OpenLoop.run(stage, "check-duplicate requests", port, rate, conns, o.readWindow(),
                    i -> dupRequests.get((int) (i % 1024)), "\"isDuplicate\":true");
            long sent = dups.latencyMicros().getTotalCount();
            String background = String.format(Locale.ROOT, "probe traffic %d samples/s in batches of %d (%d requests, not 2xx: %s)",
                    o.ingestRate(), IngestBackground.PER_REQUEST, ingest.requests(), ingest.failures());
            report.latency("5", "optimal-edges at " + rate + " req/s under ingest load", edges.latencyMicros(), edges.side(),
                    Report.Target.atMost(5), "open loop, " + conns + " connections, latency from each request's scheduled time"
                            + " (HdrHistogram); " + edges.matching() + " answers recommended edges, not 2xx: " + edges.failures()
                            + "; " + background + "; CPU per request includes the probe traffic; " + warmUp.describe());
            report.latency("5", "check-duplicate at " + rate + " req/s under ingest load", dups.latencyMicros(), dups.side(),
                    Report.Target.atMost(5), String.format(Locale.ROOT,
                            "same; %.0f %% of requests for stored content, %d of %d answers were hits, not 2xx: %s",
                            100.0 * hits / 1024, dups.matching(), sent, dups.failures()));
        }
    }

    private static byte[] checkDuplicate(int port, String key, String hash, String user) {
        return MiniHttp.post("localhost", port, "/api/jetty/check-duplicate", key,
                "{\"fileHash\":\"" + hash + "\",\"userId\":\"" + user + "\"}");
    }

    /** Repeats {@code request} until its answer contains {@code expected}. */
    static void awaitAnswer(int port, String key, byte[] request, String expected, String what) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (MiniHttp http = new MiniHttp("localhost", port)) {
            String last = "";
            while (System.nanoTime() < deadline) {
                MiniHttp.Response r = http.exchange(request);
                last = r.status() + " " + r.text();
                if (r.status() / 100 == 2 && last.contains(expected)) {
                    return;
                }
                Bench.sleep(200);
            }
            throw new IllegalStateException("waited 2 minutes for " + what + "; last answer: " + last);
        }
    }

    private static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(max, v));
    }
}
