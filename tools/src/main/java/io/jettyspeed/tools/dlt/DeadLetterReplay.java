package io.jettyspeed.tools.dlt;

import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterHeaders;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.tools.KafkaAccess;
import io.jettyspeed.tools.ToolException;
import io.jettyspeed.tools.records.AvroJson;
import io.jettyspeed.tools.records.RecordDecoder;
import io.jettyspeed.tools.records.RecordJson;
import io.jettyspeed.tools.records.RecordScanner;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Re-sends dead letters' original records to their source topic, after the cause was fixed.
 *
 * <p>What keeps a replay from counting anything twice:
 * <ul>
 *   <li>Events (upload, chunk, edge-metric, dedup-check events, clone facts) are re-sent byte for byte,
 *       so they keep their {@code eventId}, on which the processors and the sink deduplicate.</li>
 *   <li>Aggregates (compacted topics: edge health, file index, upload sessions, user stats) carry no
 *       event id; for them the key's <em>latest</em> state in the source topic is re-sent, which every
 *       reader applies idempotently by key, rather than the dead-lettered version, which may be older
 *       and would move a reader back in time.</li>
 *   <li>A letter an earlier replay already re-sent (a record with its coordinates in the
 *       {@value DeadLetterHeaders#REPLAYED_FROM} header, written after the letter failed) is skipped,
 *       unless {@code --again}. So running the same replay twice sends nothing the second time, also
 *       for readers whose event-id memory is bounded in time.</li>
 * </ul>
 * Every re-sent record carries {@value DeadLetterHeaders#REPLAYED_FROM} = {@code <dlt>/<partition>/<offset>},
 * which a stage copies into {@code replayedFrom} should the record fail again.
 */
public final class DeadLetterReplay {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** What to replay: one dead-letter topic, optionally one reason and letters since a time. */
    public record Options(String deadLetterTopic, DeadLetterReason reason, Instant since, boolean dryRun, boolean again) {
    }

    /** One dead letter with its own coordinates. */
    record Letter(String topic, int partition, long offset, byte[] recordKey, DeadLetter letter) {
        String coordinates() {
            return topic + "/" + partition + "/" + offset;
        }

        /** The original key: the letter's own copy, else the dead-letter record's key (the same bytes). */
        byte[] key() {
            return letter != null && letter.getKey() != null ? AvroJson.bytes(letter.getKey()) : recordKey;
        }
    }

    /** What to do with one letter: send {@code value} with {@code sent} saying which, or skip it and say why. */
    record Decision(Letter letter, byte[] value, String sent, String skipped) {
    }

    private final KafkaAccess kafka;
    private final RecordDecoder decoder;

    public DeadLetterReplay(KafkaAccess kafka, RecordDecoder decoder) {
        this.kafka = kafka;
        this.decoder = decoder;
    }

    public int run(Options options, PrintStream out, PrintStream err) {
        String dlt = options.deadLetterTopic();
        String source = dlt.substring(0, dlt.length() - DltCommand.DLT_SUFFIX.length());
        kafka.describe(dlt);
        int sourcePartitions = kafka.describe(source).partitions().size();

        List<Letter> letters = new ArrayList<>();
        List<Decision> decisions = new ArrayList<>();
        try (RecordScanner scanner = new RecordScanner(kafka, dlt)) {
            scanner.scan(RecordScanner.Start.BEGINNING, false, record -> {
                DeadLetter letter = letter(record.value());
                Letter coordinates = new Letter(record.topic(), record.partition(), record.offset(), record.key(), letter);
                if (letter == null) {
                    if (options.reason() == null && options.since() == null) {
                        decisions.add(new Decision(coordinates, null, null, "not a readable DeadLetter"));
                    }
                } else if ((options.reason() == null || letter.getReason() == options.reason())
                        && (options.since() == null || !letter.getFailedAt().isBefore(options.since()))) {
                    letters.add(coordinates);
                }
                return true;
            });
        }

        Map<String, String> replayed = options.again() || letters.isEmpty() ? Map.of() : previousReplays(source, letters);
        boolean aggregate = decoder.catalogueTopic(source).map(Topic::compacted).orElse(false);
        Map<String, Latest> latest = aggregate && !letters.isEmpty() ? latestStates(source, sourcePartitions, letters)
                : Map.of();
        for (Letter letter : letters) {
            decisions.add(decide(letter, source, sourcePartitions, replayed, aggregate, latest));
        }
        decisions.sort(java.util.Comparator.comparing((Decision d) -> d.letter().partition())
                .thenComparing(d -> d.letter().offset()));

        int failures = options.dryRun() ? 0 : send(source, decisions, out);
        if (options.dryRun()) {
            decisions.forEach(decision -> out.println(RecordJson.write(line(decision, source, null, null, true))));
        }
        long sendable = decisions.stream().filter(d -> d.skipped() == null).count();
        err.printf("%s %d of %d dead letters from %s to %s%s%s%n", options.dryRun() ? "would replay" : "replayed",
                sendable - failures, decisions.size(), dlt, source,
                decisions.size() > sendable ? " (" + (decisions.size() - sendable) + " skipped)" : "",
                failures > 0 ? "; " + failures + " failed" : "");
        return failures > 0 ? ToolException.FAILED : 0;
    }

    private Decision decide(Letter letter, String source, int partitions, Map<String, String> replayed, boolean aggregate,
            Map<String, Latest> latest) {
        DeadLetter dead = letter.letter();
        if (!source.equals(dead.getSourceTopic())) {
            return new Decision(letter, null, null, "its source topic " + dead.getSourceTopic() + " is not " + source);
        }
        if (replayed.containsKey(letter.coordinates())) {
            return new Decision(letter, null, null, "already replayed to " + replayed.get(letter.coordinates())
                    + " (--again replays it anyway)");
        }
        byte[] original = AvroJson.bytes(dead.getValue());
        if (original == null) {
            return new Decision(letter, null, null, "it has no value to replay");
        }
        if (!aggregate) {
            return new Decision(letter, original, "original", null);
        }
        Latest newest = latest.get(keyId(letter.key()));
        if (newest == null) {
            return new Decision(letter, original, "original (no later state of its key in " + source + ")", null);
        }
        if (newest.value() == null) {
            return new Decision(letter, null, null, "its key was deleted since (tombstone at " + source + "/"
                    + newest.partition() + "/" + newest.offset() + ")");
        }
        return new Decision(letter, newest.value(), "latest state (" + source + "/" + newest.partition() + "/"
                + newest.offset() + ")", null);
    }

    private int send(String source, List<Decision> decisions, PrintStream out) {
        Map<Decision, Future<RecordMetadata>> sent = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            for (Decision decision : decisions) {
                if (decision.skipped() == null) {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(DeadLetterHeaders.REPLAYED_FROM, decision.letter().coordinates().getBytes(StandardCharsets.UTF_8));
                    sent.put(decision, producer.send(new ProducerRecord<>(source, null, null,
                            decision.letter().key(), decision.value(), headers)));
                }
            }
            producer.flush();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw kafka.unreachable();
        }
        int failures = 0;
        for (Decision decision : decisions) {
            Future<RecordMetadata> result = sent.get(decision);
            RecordMetadata metadata = null;
            String error = null;
            if (result != null) {
                try {
                    metadata = result.get();
                } catch (ExecutionException e) {
                    error = e.getCause().getMessage();
                    failures++;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    error = "interrupted";
                    failures++;
                }
            }
            out.println(RecordJson.write(line(decision, source, metadata, error, false)));
        }
        return failures;
    }

    private static ObjectNode line(Decision decision, String source, RecordMetadata metadata, String error, boolean dryRun) {
        Letter letter = decision.letter();
        ObjectNode line = JSON.objectNode();
        line.put("deadLetter", letter.coordinates());
        if (letter.letter() != null) {
            line.put("reason", letter.letter().getReason().name());
            line.put("failedAt", letter.letter().getFailedAt().toString());
        }
        RecordJson.putKey(line, "key", letter.key());
        if (decision.skipped() != null) {
            line.put("action", "skipped");
            line.put("why", decision.skipped());
            return line;
        }
        line.put("action", dryRun ? "would-replay" : error == null ? "replayed" : "failed");
        line.put("sent", decision.sent());
        ObjectNode to = line.putObject("to");
        to.put("topic", source);
        if (metadata != null) {
            to.put("partition", metadata.partition());
            to.put("offset", metadata.offset());
        }
        if (error != null) {
            line.put("error", error);
        }
        return line;
    }

    /**
     * The letters of this set that earlier replays re-sent: records in the source topic, written after
     * the earliest of the letters failed, whose {@value DeadLetterHeaders#REPLAYED_FROM} names one.
     */
    private Map<String, String> previousReplays(String source, List<Letter> letters) {
        Set<String> wanted = new java.util.HashSet<>();
        letters.forEach(letter -> wanted.add(letter.coordinates()));
        Instant earliest = letters.stream().map(letter -> letter.letter().getFailedAt()).min(Instant::compareTo).orElseThrow();
        Map<String, String> found = new HashMap<>();
        try (RecordScanner scanner = new RecordScanner(kafka, source)) {
            scanner.scan(RecordScanner.Start.at(earliest), false, record -> {
                for (Header header : record.headers().headers(DeadLetterHeaders.REPLAYED_FROM)) {
                    String from = new String(header.value(), StandardCharsets.UTF_8);
                    if (wanted.contains(from)) {
                        found.putIfAbsent(from, record.topic() + "/" + record.partition() + "/" + record.offset());
                    }
                }
                return true;
            });
        }
        return found;
    }

    /** The newest record (value, or null for a tombstone) of each letter's key, in the partition the key maps to now. */
    private Map<String, Latest> latestStates(String source, int partitions, List<Letter> letters) {
        Set<String> keys = new java.util.HashSet<>();
        letters.forEach(letter -> keys.add(keyId(letter.key())));
        Map<String, Latest> latest = new HashMap<>();
        try (RecordScanner scanner = new RecordScanner(kafka, source)) {
            scanner.scan(RecordScanner.Start.BEGINNING, false, record -> {
                String key = keyId(record.key());
                if (keys.contains(key) && record.key() != null
                        && record.partition() == Utils.toPositive(Utils.murmur2(record.key())) % partitions) {
                    latest.put(key, new Latest(record.partition(), record.offset(), record.value()));
                }
                return true;
            });
        }
        return latest;
    }

    record Latest(int partition, long offset, byte[] value) {
    }

    private static String keyId(byte[] key) {
        return key == null ? "" : java.util.Base64.getEncoder().encodeToString(key);
    }

    /** The dead letter in these bytes, or null when they are not one. */
    static DeadLetter letter(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return AvroSerde.of(DeadLetter.class).decode(value);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
