package io.jettyspeed.tools.tail;

import io.jettyspeed.tools.Args;
import io.jettyspeed.tools.KafkaAccess;
import io.jettyspeed.tools.records.RecordDecoder;
import io.jettyspeed.tools.records.RecordJson;
import io.jettyspeed.tools.records.RecordScanner;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./jettyspeed tail <topic>}: any topic as one JSON object per record (see {@link RecordJson}),
 * read_committed, from the beginning, the end or a time; optionally only one key, at most N records,
 * or following new records until interrupted.
 */
public final class TailCommand {

    public static final String USAGE = """
            usage: ./jettyspeed tail <topic> [--from beginning|end|<time>] [--key K] [--follow] [--limit N]
                                     [--bootstrap-servers HOST:PORT,...] [--timeout 10s]
              Prints one JSON object per record: topic, partition, offset, timestamp, key, headers, and the value
              decoded from Avro (type from the topic catalogue, any prefix; Kafka Streams internal topics by the
              schema fingerprint). Dead letters show reason, description, source coordinates, sqlState,
              replayedFrom, the raw key and value (base64) and the original value decoded. Committed records only.
              --from     beginning (default), end, an ISO-8601 time (2025-06-01T12:00:00Z) or a time back from now (30m)
              --key      only records with this key
              --follow   keep printing new records until Ctrl-C (without it: stop at the end as of the start)
              --limit    stop after N records
              Kafka: --bootstrap-servers, else KAFKA_BOOTSTRAP_SERVERS, else localhost:9092.""";

    private static final Set<String> OPTIONS = Set.of("--from", "--key", "--limit", "--bootstrap-servers", "--timeout");
    private static final Set<String> FLAGS = Set.of("--follow");

    private TailCommand() {
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
        Args parsed = Args.parse(Arrays.asList(args), OPTIONS, FLAGS);
        String topic = parsed.single("topic");
        RecordScanner.Start start = RecordScanner.Start.parse(parsed.option("--from", "beginning"), clock.instant());
        String key = parsed.option("--key");
        int limit = parsed.intOption("--limit", Integer.MAX_VALUE, 1);
        boolean follow = parsed.flag("--follow");
        RecordJson json = new RecordJson(new RecordDecoder());
        int[] printed = {0};
        try (KafkaAccess kafka = KafkaAccess.from(parsed, env); RecordScanner scanner = new RecordScanner(kafka, topic)) {
            scanner.scan(start, follow, record -> {
                if (key != null && !key.equals(RecordJson.text(record.key()))) {
                    return true;
                }
                out.println(RecordJson.write(json.toJson(record)));
                out.flush();
                return ++printed[0] < limit;
            });
        }
        return 0;
    }
}
