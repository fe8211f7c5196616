package io.jettyspeed.tools.dlt;

import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.tools.Args;
import io.jettyspeed.tools.KafkaAccess;
import io.jettyspeed.tools.ToolException;
import io.jettyspeed.tools.records.RecordDecoder;
import io.jettyspeed.tools.records.RecordJson;
import io.jettyspeed.tools.records.RecordScanner;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ./jettyspeed dlt list|show|replay}: what is in the dead-letter topics, each letter in full,
 * and re-sending the original records to their source topic once the cause is fixed
 * ({@link DeadLetterReplay}).
 */
public final class DltCommand {

    public static final String USAGE = """
            usage: ./jettyspeed dlt list                                   dead letters per topic and reason
                   ./jettyspeed dlt show <topic> [--reason R] [--limit N]  the letters, one JSON object each
                   ./jettyspeed dlt replay <topic> [--reason R] [--since T] [--dry-run] [--again]
              <topic> is a dead-letter topic (jetty.chunk-events.v1-dlt) or its source (jetty.chunk-events.v1).
              replay re-sends each letter's original key and value bytes to the source topic (idempotent producer,
              acks=all) with the header jetty.replayed-from=<dlt topic>/<partition>/<offset>, and prints one JSON
              object per letter. For compacted aggregate topics it re-sends the key's latest state instead of an
              older version. Letters an earlier replay already re-sent are skipped unless --again.
              --reason   only letters with this reason (UNDECODABLE, UNKNOWN_SCHEMA, INVARIANT_VIOLATION, ...)
              --since    only letters that failed at or after this time (ISO-8601, or back from now: 2h)
              --dry-run  print what would be replayed, send nothing
              All: [--bootstrap-servers HOST:PORT,...] (else KAFKA_BOOTSTRAP_SERVERS, else localhost:9092) [--timeout 10s]""";

    static final String DLT_SUFFIX = "-dlt";
    private static final Set<String> COMMON = Set.of("--bootstrap-servers", "--timeout");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private DltCommand() {
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
        if (args.length == 0) {
            throw ToolException.usage("dlt needs list, show or replay");
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        return switch (args[0]) {
            case "list" -> list(Args.parse(rest, COMMON, Set.of()), env, out);
            case "show" -> show(Args.parse(rest, union(COMMON, Set.of("--reason", "--limit")), Set.of()), env, out);
            case "replay" -> {
                Args parsed = Args.parse(rest, union(COMMON, Set.of("--reason", "--since")), Set.of("--dry-run", "--again"));
                DeadLetterReplay.Options options = new DeadLetterReplay.Options(deadLetterTopic(parsed.single("topic")),
                        reason(parsed), parsed.has("--since") ? Args.time("--since", parsed.option("--since"), clock.instant())
                                : null, parsed.flag("--dry-run"), parsed.flag("--again"));
                try (KafkaAccess kafka = KafkaAccess.from(parsed, env)) {
                    yield new DeadLetterReplay(kafka, new RecordDecoder()).run(options, out, err);
                }
            }
            default -> throw ToolException.usage("unknown dlt command " + args[0] + " (list, show or replay)");
        };
    }

    /** Dead-letter topics, each with its count of letters per reason and when the newest failed. */
    static int list(Args args, Map<String, String> env, PrintStream out) {
        args.noPositional();
        try (KafkaAccess kafka = KafkaAccess.from(args, env)) {
            List<String> topics = kafka.topicNames().stream().filter(name -> name.endsWith(DLT_SUFFIX)).sorted().toList();
            for (String topic : topics) {
                Map<String, Integer> reasons = new TreeMap<>();
                int[] total = {0};
                Instant[] newest = {null};
                try (RecordScanner scanner = new RecordScanner(kafka, topic)) {
                    scanner.scan(RecordScanner.Start.BEGINNING, false, record -> {
                        total[0]++;
                        DeadLetter letter = DeadLetterReplay.letter(record.value());
                        reasons.merge(letter == null ? "UNREADABLE" : letter.getReason().name(), 1, Integer::sum);
                        if (letter != null && (newest[0] == null || letter.getFailedAt().isAfter(newest[0]))) {
                            newest[0] = letter.getFailedAt();
                        }
                        return true;
                    });
                }
                ObjectNode line = JSON.objectNode();
                line.put("topic", topic);
                line.put("sourceTopic", topic.substring(0, topic.length() - DLT_SUFFIX.length()));
                line.put("total", total[0]);
                ObjectNode byReason = line.putObject("reasons");
                reasons.forEach(byReason::put);
                line.put("lastFailedAt", newest[0] == null ? null : newest[0].toString());
                out.println(RecordJson.write(line));
            }
        }
        return 0;
    }

    /** The letters of one dead-letter topic as {@code tail} prints them, optionally of one reason only. */
    static int show(Args args, Map<String, String> env, PrintStream out) {
        String topic = deadLetterTopic(args.single("topic"));
        DeadLetterReason reason = reason(args);
        int limit = args.intOption("--limit", Integer.MAX_VALUE, 1);
        RecordJson json = new RecordJson(new RecordDecoder());
        int[] printed = {0};
        try (KafkaAccess kafka = KafkaAccess.from(args, env); RecordScanner scanner = new RecordScanner(kafka, topic)) {
            scanner.scan(RecordScanner.Start.BEGINNING, false, record -> {
                if (reason != null) {
                    DeadLetter letter = DeadLetterReplay.letter(record.value());
                    if (letter == null || letter.getReason() != reason) {
                        return true;
                    }
                }
                out.println(RecordJson.write(json.toJson(record)));
                return ++printed[0] < limit;
            });
        }
        return 0;
    }

    /** {@code x-dlt} stays, {@code x} becomes {@code x-dlt}. */
    static String deadLetterTopic(String topic) {
        return topic.endsWith(DLT_SUFFIX) ? topic : topic + DLT_SUFFIX;
    }

    static DeadLetterReason reason(Args args) {
        String value = args.option("--reason");
        if (value == null) {
            return null;
        }
        try {
            return DeadLetterReason.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ToolException.usage("--reason must be one of " + Arrays.stream(DeadLetterReason.values())
                    .map(Enum::name).collect(Collectors.joining(", ")) + ", was '" + value + "'");
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).collect(Collectors.toSet());
    }
}
