package io.jettyspeed.bench;

import io.jettyspeed.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Row 3: the stream processors, all four topologies, against a raw consumer, and exactly-once
 * against at-least-once.
 *
 * <p>Stage {@code b3}: the broker and two processors JVMs, identical but for the guarantee:
 * {@code processors-eos} ({@code exactly_once_v2}) on topics {@code b3.eos.*} and
 * {@code processors-alos} ({@code at_least_once}) on {@code b3.alos.*}, each running the four
 * topologies as Streams applications {@code b3.<side>.processors-<topology>}. No gateway and no
 * sink: nothing downstream reads either side's outputs, so both do the same work.
 *
 * <p>Each burst is {@code bench.burst} (20,000) records of {@link UploadTraffic}'s realistic mix
 * (uploads start → chunks → complete or fail, duplicate uploads of earlier content, check-duplicate
 * hits, edge probes), generated once and produced, Avro-encoded, straight to the four input topics
 * of a side. Both sides get the same bursts in the same order. Sides of a pair, each after an idle
 * check, order turning round every pair:
 * <ul>
 *   <li><b>processors</b> (EOS, and ALOS): from the first record sent until every consumer group
 *       of the side, the repartition-topic partitions of every sub-topology included, has committed
 *       the end offsets, and no topic of the side (outputs, changelogs, dead letters) has grown for
 *       {@code bench.settle.ms} after that ({@link IdleCheck#awaitConsumed}); the time and CPU are
 *       taken when everything was first seen consumed.</li>
 *   <li><b>raw</b>: one {@link KafkaConsumer} reads the same burst's records (the side's four input
 *       topics, from the offsets before the burst) as bytes.</li>
 * </ul>
 * Lines: EOS ÷ raw records/s (target ≥ 0.3), ALOS ÷ raw, EOS ÷ ALOS (target ≥ 0.9). The first
 * burst to each side (a fifth of the size) is a warm-up. The JVM of the side not at work stands by
 * idle; its CPU is left out of the working side's numbers (the idle checks show how little it is).
 */
public final class ProcessorsRow extends Row {

    static final String EOS = "processors-eos";
    static final String ALOS = "processors-alos";

    public ProcessorsRow() {
        super(3, "row 3: processors (four topologies) vs a raw consumer, exactly-once vs at-least-once");
    }

    @Override
    protected void run(Lab lab, BenchOptions o, Stage stage, Report report) throws Exception {
        try (KafkaProducer<String, byte[]> loader = lab.loader()) {
            Topics eosTopics = stage.topics("eos");
            Topics alosTopics = stage.topics("alos");
            stage.processors(EOS, eosTopics, "exactly_once_v2");
            stage.processors(ALOS, alosTopics, "at_least_once");
            stage.awaitReady();
            UploadTraffic traffic = new UploadTraffic(lab.runId() + "-r3", 3);

            Bench.log("warm-up bursts");
            // New uploads every round: the processors drop an event id they have seen.
            Stage.WarmUp warmUp = stage.warmUpUntilCompiled("row 3", () -> {
                List<UploadTraffic.Event> warm = traffic.burst(Math.max(1, o.burst() / 5), Instant.now());
                Burst eos = burst(stage, loader, eosTopics, warm, "EOS warm-up");
                burst(stage, loader, alosTopics, warm, "ALOS warm-up");
                rawConsumer(stage, eos);
            });

            Pairs eosVsRaw = new Pairs();
            Pairs alosVsRaw = new Pairs();
            Pairs eosVsAlos = new Pairs();
            Row.<Measured>alternate(o.pairs(), i -> {
                List<UploadTraffic.Event> events = traffic.burst(o.burst(), Instant.now());
                return List.of(
                        pair -> measure(stage, loader, eosTopics, events, "processors (exactly_once_v2)", pair, ALOS),
                        pair -> measure(stage, loader, alosTopics, events, "processors (at_least_once)", pair, EOS));
            }, (pair, sides) -> {
                Measured eos = sides.get(0);
                Measured alos = sides.get(1);
                eosVsRaw.add(eos.processors(), eos.raw());
                alosVsRaw.add(alos.processors(), alos.raw());
                eosVsAlos.add(eos.processors(), alos.processors());
                Bench.log(String.format(Locale.ROOT, "row 3 pair %d: EOS %.0f rec/s, ALOS %.0f rec/s, raw %.0f / %.0f rec/s",
                        pair, eos.processors().rate(), alos.processors().rate(), eos.raw().rate(), alos.raw().rate()));
            });
            String mix = o.burst() + "-record bursts of uploads (start → chunks → complete/fail), duplicate uploads,"
                    + " check-duplicate hits and edge probes, straight to the input topics; until every group of the"
                    + " side (repartition topics included) committed the end and no topic grew for " + o.settle().toMillis()
                    + " ms; raw: one KafkaConsumer reading the same records as bytes";
            report.ratio("3", "processors (exactly_once_v2), all four topologies ÷ raw KafkaConsumer", "records/s",
                    eosVsRaw, Report.Target.atLeast(0.3), mix + "; " + warmUp.describe());
            report.ratio("3", "processors (at_least_once) ÷ raw KafkaConsumer", "records/s", alosVsRaw,
                    Report.Target.none(), "same bursts on the at-least-once JVM's own topics");
            report.ratio("3", "exactly_once_v2 ÷ at_least_once", "records/s", eosVsAlos, Report.Target.atLeast(0.9),
                    "same topologies, settings and bursts; neither side's outputs are read by anyone");
        }
    }

    /** One side's processors window and the raw consumer reading the same burst. */
    private record Measured(Side processors, Side raw) {
    }

    /** One side; {@code bystander} is the other side's JVM, idle meanwhile and left out of this side's CPU. */
    private static Measured measure(Stage stage, KafkaProducer<String, byte[]> loader, Topics topics,
            List<UploadTraffic.Event> events, String label, String pair, String bystander) throws Exception {
        stage.awaitQuiet(label + ", " + pair);
        Burst burst = burst(stage, loader, topics, events, label);
        stage.awaitQuiet("raw consumer after " + label + ", " + pair);
        return new Measured(burst.side().without(bystander),
                rawConsumer(stage, burst).without(EOS).without(ALOS));
    }

    private record Burst(Side side, Map<TopicPartition, Long> start, long records) {
    }

    private static Burst burst(Stage stage, KafkaProducer<String, byte[]> loader, Topics topics,
            List<UploadTraffic.Event> events, String label) {
        List<ProducerRecord<String, byte[]>> records = UploadTraffic.encode(events, topics);
        Set<String> inputs = UploadTraffic.inputTopics(topics);
        Map<TopicPartition, Long> start = new HashMap<>();
        stage.progress().endOffsets(List.of(topics.prefix())).forEach((tp, end) -> {
            if (inputs.contains(tp.topic())) {
                start.put(tp, end);
            }
        });
        CpuMeter.Snapshot t0 = stage.mark();
        for (ProducerRecord<String, byte[]> record : records) {
            loader.send(record);
        }
        loader.flush();
        CpuMeter.Snapshot t1 = stage.awaitConsumed(List.of(topics.prefix()), inputs, Duration.ofMinutes(5));
        return new Burst(Stage.side(label, records.size(), t0, t1), start, records.size());
    }

    private static Side rawConsumer(Stage stage, Burst burst) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stage.lab().bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.CLIENT_ID_CONFIG, "bench-raw-consumer");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(burst.start().keySet());
            burst.start().forEach(consumer::seek);
            CpuMeter.Snapshot t0 = stage.mark();
            long read = 0;
            long bytes = 0;
            while (read < burst.records()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    bytes += r.value().length;
                    read++;
                }
            }
            Side side = stage.side("raw KafkaConsumer", read, t0);
            if (bytes == 0) {
                throw new IllegalStateException("the raw consumer read empty records");
            }
            return side;
        }
    }
}
