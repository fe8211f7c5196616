package io.jettyspeed.bench;

import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Row 1: what a single-event POST costs, against the HTTP ceiling and against the raw producer.
 *
 * <p>Stage {@code b1}: the broker and one gateway on topics {@code b1.gw.*}; no processors and no
 * sink, so nothing consumes and nothing else runs. Three sides, each {@code bench.connections}
 * (16) keep-alive connections or threads in a closed loop for one window, after an idle check;
 * the order turns round every pair (empty, POST, raw; raw, POST, empty; ...):
 * <ul>
 *   <li><b>empty</b>: {@code POST /api/bench/empty} ({@link EmptyEndpoint}) with the very bytes of
 *       the POST side's requests: same Tomcat, same filter chain (HTTP observation, API-key
 *       authentication and rate limit, body-size limit), body read as bytes, a fixed 202; no
 *       validation, no Avro, no Kafka. Before the windows the row checks that those filters do
 *       apply: 401 without a key, 413 above the body limit.</li>
 *   <li><b>POST</b>: {@code POST /api/jetty/edge-metrics} with one sample; the 202 comes after
 *       the broker acknowledged (acks=all).</li>
 *   <li><b>raw</b>: each thread sends one record of the same samples, Avro-encoded beforehand, to
 *       the same topic and waits for its acknowledgement, on a producer with the gateway's own
 *       settings ({@link GatewayProducer}).</li>
 * </ul>
 * Lines: gateway-process CPU per POST ÷ per empty request (target ≤ 2×), POST ÷ raw events/s
 * (target ≥ 0.5), and POST ÷ empty requests/s for reference.
 */
public final class SingleEventIngestRow extends Row {

    private static final int POOL = 4096;

    public SingleEventIngestRow() {
        super(1, "row 1: single-event POST vs the empty endpoint vs the raw producer");
    }

    @Override
    protected void run(Lab lab, BenchOptions o, Stage stage, Report report) throws Exception {
        Stage.Front front = stage.gatewayAlone();
        Topics topics = front.topics();
        int port = front.port();

        List<EdgeMetricSample> samples = Payloads.edgeSamples("b-" + lab.runId() + "-r1-", POOL,
                java.time.Instant.now(), new Random(1));
        byte[][] posts = new byte[POOL][];
        byte[][] empties = new byte[POOL][];
        for (int i = 0; i < POOL; i++) {
            String body = Payloads.samplesBody(List.of(samples.get(i)));
            posts[i] = MiniHttp.post("localhost", port, "/api/jetty/edge-metrics", lab.apiKey(), body);
            empties[i] = MiniHttp.post("localhost", port, EmptyEndpoint.PATH, lab.apiKey(), body);
        }
        List<ProducerRecord<String, byte[]>> records = Payloads.encode(topics.edgeMetrics(), samples,
                EdgeMetricSample::getEdgeId);
        EmptyEndpointCheck.verify(port, lab.apiKey(), empties[0]);

        int c = o.connections();
        try (KafkaProducer<String, byte[]> producer = GatewayProducer.create(lab.bootstrap(), o.lingerMs())) {
            ClosedLoop.Load empty = () -> new HttpStep(port, empties, 1);
            ClosedLoop.Load post = () -> new HttpStep(port, posts, 1);
            ClosedLoop.Load raw = () -> new RawStep(producer, records, 1);
            Bench.log("warm-up");
            // A fresh gateway JVM: C2 compiles the request path after thousands of requests, however long
            // they take on a busy machine, so the warm-up counts requests (bench.warmup.requests).
            ClosedLoop.warmUp(stage, c, o.warmUpRequests(), o.warmUp(), post);
            ClosedLoop.warmUp(stage, c, o.warmUpRequests(), o.warmUp(), empty);
            ClosedLoop.warmUp(stage, c, o.warmUpRequests() / 2, o.warmUp(), post);
            ClosedLoop.warmUp(stage, c, o.warmUpRequests(), o.warmUp(), raw);
            // Then on until the gateway's compilers and this JVM's have settled: on a slow hour the pairs
            // still sped up one after another.
            Stage.WarmUp warmUp = stage.warmUpUntilCompiled("row 1", () -> {
                ClosedLoop.warmUp(stage, c, o.warmUpRequests() / 4, o.warmUp(), post);
                ClosedLoop.warmUp(stage, c, o.warmUpRequests() / 4, o.warmUp(), empty);
                ClosedLoop.warmUp(stage, c, o.warmUpRequests() / 4, o.warmUp(), raw);
            });
            Pairs postVsEmpty = new Pairs();
            Pairs postVsRaw = new Pairs();
            List<Double> postPerRequest = new ArrayList<>();
            List<Double> rawPerRequest = new ArrayList<>();
            Row.<Side>alternate(o.pairs(), i -> List.of(
                    pair -> measure(stage, "empty endpoint", pair, c, o, empty),
                    pair -> measure(stage, "single-event POST", pair, c, o, post, () -> ProduceRequests.ofGateway(port),
                            postPerRequest),
                    pair -> measure(stage, "raw KafkaProducer, 1 record", pair, c, o, raw, () -> ProduceRequests.of(producer),
                            rawPerRequest)), (pair, sides) -> {
                Side e = sides.get(0);
                Side p = sides.get(1);
                Side r = sides.get(2);
                postVsEmpty.add(p, e);
                postVsRaw.add(p, r);
                Bench.log(String.format(java.util.Locale.ROOT,
                        "row 1 pair %d: empty %.0f req/s, POST %.0f ev/s, raw %.0f ev/s; gateway µs/request: POST %.0f, empty %.0f;"
                                + " records per produce request: POST %.1f, raw %.1f",
                        pair, e.rate(), p.rate(), r.rate(), p.cpuNanosPerEvent("gateway") / 1e3,
                        e.cpuNanosPerEvent("gateway") / 1e3, postPerRequest.get(pair - 1), rawPerRequest.get(pair - 1)));
            });
            report.cpuRatio("1", "gateway CPU per single-event POST ÷ per empty-endpoint request", "gateway",
                    postVsEmpty, Report.Target.atMost(2), c + " connections, closed loop; empty: " + EmptyEndpoint.PATH
                            + " behind the same filters (401 without a key and 413 above the body limit checked), no validation, no Kafka; "
                            + warmUp.describe());
            report.ratio("1", "single-event POST ÷ raw KafkaProducer", "events/s", postVsRaw, Report.Target.atLeast(0.5),
                    c + " threads each send 1 record and wait for its ack, producer settings of the gateway "
                            + GatewayProducer.settings(o.lingerMs())
                            + String.format(Locale.ROOT, "; records per produce request (each producer's metrics, median):"
                                    + " POST %.1f, raw %.1f", Pairs.median(postPerRequest), Pairs.median(rawPerRequest)));
            report.ratio("1", "single-event POST ÷ empty endpoint (HTTP ceiling)", "per s", postVsEmpty,
                    Report.Target.none(), "for reference: events/s vs requests/s");
        }
    }

    private static Side measure(Stage stage, String label, String pair, int connections, BenchOptions o,
            ClosedLoop.Load load) throws Exception {
        stage.awaitQuiet(label + ", " + pair);
        return ClosedLoop.run(stage, label, connections, o.window(), load);
    }

    /**
     * The same, adding the records per produce request of the side's producer in the window (read outside it); row 2's
     * sides too.
     */
    static Side measure(Stage stage, String label, String pair, int connections, BenchOptions o,
            ClosedLoop.Load load, ProduceRequests.Source producer, List<Double> perRequest) throws Exception {
        stage.awaitQuiet(label + ", " + pair);
        ProduceRequests before = producer.read();
        Side side = ClosedLoop.run(stage, label, connections, o.window(), load);
        perRequest.add(producer.read().perRequestSince(before));
        return side;
    }

    /** Posts pre-encoded requests in turn over its own keep-alive connection. */
    static final class HttpStep implements ClosedLoop.Step, AutoCloseable {
        private final MiniHttp http;
        private final byte[][] requests;
        private final int events;
        private int next = ThreadLocalRandom.current().nextInt(1 << 20);

        HttpStep(int port, byte[][] requests, int events) {
            this.http = new MiniHttp("localhost", port);
            this.requests = requests;
            this.events = events;
        }

        @Override
        public int run() {
            MiniHttp.Response response = http.exchange(requests[next++ % requests.length]);
            if (response.status() / 100 != 2) {
                throw new IllegalStateException("HTTP " + response.status() + ": " + response.text());
            }
            return events;
        }

        @Override
        public void close() {
            http.close();
        }
    }

    /** Sends {@code perStep} pre-encoded records and waits for every acknowledgement. */
    static final class RawStep implements ClosedLoop.Step {
        private final KafkaProducer<String, byte[]> producer;
        private final List<ProducerRecord<String, byte[]>> records;
        private final int perStep;
        private final java.util.List<java.util.concurrent.Future<?>> acks = new java.util.ArrayList<>();
        private int next = ThreadLocalRandom.current().nextInt(1 << 20);

        RawStep(KafkaProducer<String, byte[]> producer, List<ProducerRecord<String, byte[]>> records, int perStep) {
            this.producer = producer;
            this.records = records;
            this.perStep = perStep;
        }

        @Override
        public int run() throws Exception {
            acks.clear();
            for (int i = 0; i < perStep; i++) {
                acks.add(producer.send(records.get(next++ % records.size())));
            }
            for (var ack : acks) {
                ack.get();
            }
            return perStep;
        }
    }
}
