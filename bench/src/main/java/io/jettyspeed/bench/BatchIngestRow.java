package io.jettyspeed.bench;

import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Row 2: a 100-event batch POST against the raw producer sending the same 100 records.
 *
 * <p>Stage {@code b2}: the broker and one gateway on topics {@code b2.gw.*}; nothing consumes.
 * Two sides, {@code bench.batch.connections} (8) connections or threads in a closed loop for one
 * window each, after an idle check, order turning round every pair:
 * <ul>
 *   <li><b>batch POST</b>: {@code POST /api/jetty/edge-metrics} with {@code bench.batch.size}
 *       (100) samples; the 202 comes after the broker acknowledged all of them.</li>
 *   <li><b>raw</b>: each thread sends the same number of records, Avro-encoded beforehand, to the
 *       same topic and waits for all acknowledgements, with the gateway's producer settings.</li>
 * </ul>
 * Line: batch POST ÷ raw events/s (target ≥ 0.5).
 */
public final class BatchIngestRow extends Row {

    private static final int POOL = 25_600;
    private static final int REQUESTS = 256;

    public BatchIngestRow() {
        super(2, "row 2: 100-event batch POST vs the raw producer");
    }

    @Override
    protected void run(Lab lab, BenchOptions o, Stage stage, Report report) throws Exception {
        int size = o.batchSize();
        Stage.Front front = stage.gatewayAlone();
        Topics topics = front.topics();
        int port = front.port();

        List<EdgeMetricSample> samples = Payloads.edgeSamples("b-" + lab.runId() + "-r2-", Math.max(POOL, size),
                Instant.now(), new Random(2));
        byte[][] requests = new byte[REQUESTS][];
        for (int b = 0; b < REQUESTS; b++) {
            int from = (b * size) % (samples.size() - size + 1);
            requests[b] = MiniHttp.post("localhost", port, "/api/jetty/edge-metrics", lab.apiKey(),
                    Payloads.samplesBody(samples.subList(from, from + size)));
        }
        List<ProducerRecord<String, byte[]>> records = Payloads.encode(topics.edgeMetrics(), samples,
                EdgeMetricSample::getEdgeId);

        int c = o.batchConnections();
        try (KafkaProducer<String, byte[]> producer = GatewayProducer.create(lab.bootstrap(), o.lingerMs())) {
            ClosedLoop.Load post = () -> new SingleEventIngestRow.HttpStep(port, requests, size);
            ClosedLoop.Load raw = () -> new SingleEventIngestRow.RawStep(producer, records, size);
            Bench.log("warm-up");
            // Counted, like row 1's: a tenth of the requests, each with batchSize events.
            ClosedLoop.warmUp(stage, c, o.warmUpRequests() / 10, o.warmUp(), post);
            ClosedLoop.warmUp(stage, c, o.warmUpRequests() / 10, o.warmUp(), raw);
            ClosedLoop.warmUp(stage, c, o.warmUpRequests() / 20, o.warmUp(), post);
            Stage.WarmUp warmUp = stage.warmUpUntilCompiled("row 2", () -> {
                ClosedLoop.warmUp(stage, c, o.warmUpRequests() / 40, o.warmUp(), post);
                ClosedLoop.warmUp(stage, c, o.warmUpRequests() / 40, o.warmUp(), raw);
            });
            Pairs batchVsRaw = new Pairs();
            // records per produce request of each side's producer in each window, read outside the window
            List<Double> postPerRequest = new ArrayList<>();
            List<Double> rawPerRequest = new ArrayList<>();
            Row.<Side>alternate(o.pairs(), i -> List.of(
                    pair -> SingleEventIngestRow.measure(stage, size + "-event batch POST", pair, c, o, post,
                            () -> ProduceRequests.ofGateway(port), postPerRequest),
                    pair -> SingleEventIngestRow.measure(stage, "raw KafkaProducer, " + size + " records", pair, c, o, raw,
                            () -> ProduceRequests.of(producer), rawPerRequest)), (pair, sides) -> {
                batchVsRaw.add(sides.get(0), sides.get(1));
                Bench.log(String.format(Locale.ROOT, "row 2 pair %d: batch POST %.0f ev/s, raw %.0f ev/s; records per"
                        + " produce request: POST %.1f, raw %.1f", pair, sides.get(0).rate(), sides.get(1).rate(),
                        postPerRequest.get(pair - 1), rawPerRequest.get(pair - 1)));
            });
            report.ratio("2", size + "-event batch POST ÷ raw KafkaProducer", "events/s", batchVsRaw,
                    Report.Target.atLeast(0.5), c + " connections posting " + size + " samples vs " + c
                            + " threads each sending " + size + " records and waiting for all acks, gateway's producer settings;"
                            + String.format(Locale.ROOT, " records per produce request (each producer's metrics, median):"
                                    + " POST %.1f, raw %.1f; ", Pairs.median(postPerRequest), Pairs.median(rawPerRequest))
                            + warmUp.describe());
        }
    }
}
