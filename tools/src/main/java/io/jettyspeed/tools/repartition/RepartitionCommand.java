package io.jettyspeed.tools.repartition;

import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.tools.Args;
import io.jettyspeed.tools.KafkaAccess;
import io.jettyspeed.tools.ToolException;
import io.jettyspeed.tools.records.RecordJson;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ./jettyspeed repartition}: copies every record of the event topics of one generation of the
 * catalogue (topic prefix {@code --from-prefix}) into another ({@code --to-prefix}) whose topics have
 * another partition count, so that processors started on the new generation re-read the whole history
 * and rebuild their keyed state with the keys where the new partition count puts them.
 *
 * <p>Only the four ingest topics ({@link Topics#ingestTopics()}) are copied: everything else in the
 * catalogue is derived from them by the processors, which recompute it on the new generation (copying
 * the derived topics as well would count it twice). Each record keeps its key, value bytes, timestamp
 * and headers; the producer's default partitioner places it by its key, as the gateway would.
 *
 * <p>Exactly once, and resumable: records are copied in Kafka transactions that also commit how far
 * the copy got, as the offsets of the consumer group {@link #progressGroup} (Kafka's own
 * consume-transform-produce pattern, rather than bookkeeping of our own). A crash mid-copy aborts the
 * open transaction; the next run starts where the last committed one ended, and a run after a
 * complete copy copies only what arrived since. Two runs at once fence each other (same
 * {@code transactional.id}).
 *
 * <p>It refuses, rather than copying a partial history: a source partition that no longer starts at
 * offset 0 (retention deleted events, so a re-read would rebuild aggregates without them), a target
 * topic missing or with another partition count than {@code --partitions}, and target topics that
 * already hold records this copy did not write.
 */
public final class RepartitionCommand {

    public static final String USAGE = """
            usage: ./jettyspeed repartition --from-prefix P --to-prefix Q [--partitions N] [--dry-run]
                                            [--bootstrap-servers HOST:PORT,...] [--timeout 10s]
              Copies every record of the event topics (upload-events, chunk-events, edge-metrics, dedup-checks) of
              the generation with topic prefix P into the generation with prefix Q, keeping key, value, timestamp
              and headers and letting the key choose the new partition. Processors started on Q with a new
              application id then re-read the whole history and rebuild every aggregate (README "Scaling out").
              Exactly once: a re-run, or a run after a crash mid-copy, copies only what was not copied yet.
              Prints one JSON object per topic.
              --from-prefix   prefix of the generation to copy from ('' for unprefixed topics)
              --to-prefix     prefix of the new generation; create it first:
                                JETTY_TOPIC_PREFIX=Q ./jettyspeed topics --partitions N
              --partitions    partitions every target topic must have (JETTY_PARTITIONS, default 6)
              --dry-run       check and count, copy nothing
              Kafka: --bootstrap-servers, else KAFKA_BOOTSTRAP_SERVERS, else localhost:9092.""";

    private static final Set<String> OPTIONS = Set.of("--bootstrap-servers", "--from-prefix", "--to-prefix",
            "--partitions", "--timeout");
    private static final Set<String> FLAGS = Set.of("--dry-run");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Duration POLL = Duration.ofMillis(500);

    private RepartitionCommand() {
    }

    /** What the command line and the environment ask for. */
    record Plan(Topics from, Topics to, boolean dryRun) {

        /** The consumer group (and transactional id) that holds how far this copy got. */
        String progressGroup() {
            return RepartitionCommand.progressGroup(from.prefix(), to.prefix());
        }
    }

    /** One group per pair of generations, so copies between other pairs keep their own progress. */
    static String progressGroup(String fromPrefix, String toPrefix) {
        return "jettyspeed-repartition_" + (fromPrefix.isEmpty() ? "-" : fromPrefix) + "_to_" + toPrefix;
    }

    static Plan plan(Args args, Map<String, String> env) {
        args.noPositional();
        if (!args.has("--from-prefix")) {
            throw ToolException.usage("missing --from-prefix (the generation to copy from; '' for unprefixed topics)");
        }
        if (!args.has("--to-prefix")) {
            throw ToolException.usage("missing --to-prefix (the new generation, e.g. g2.)");
        }
        String from = args.option("--from-prefix").trim();
        String to = args.option("--to-prefix").trim();
        if (to.isEmpty()) {
            throw ToolException.usage("--to-prefix is empty: the new generation needs a prefix of its own, e.g. g2.");
        }
        if (from.equals(to)) {
            throw ToolException.usage("--from-prefix and --to-prefix are both '" + from + "': a generation cannot be"
                    + " repartitioned in place");
        }
        int partitions;
        try {
            partitions = Topics.partitionsFromEnvironment(env);
        } catch (IllegalArgumentException e) {
            throw ToolException.usage(e.getMessage());
        }
        partitions = args.intOption("--partitions", partitions, 1);
        // The source's partition count is read from the cluster; the catalogue only names its topics here.
        return new Plan(Topics.of(from, 1), Topics.of(to, partitions), args.flag("--dry-run"));
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Args parsed = Args.parse(Arrays.asList(args), OPTIONS, FLAGS);
        Plan plan = plan(parsed, env);
        try (KafkaAccess kafka = KafkaAccess.from(parsed, env)) {
            kafka.requireReachable();
            List<Topic<String, ?>> sources = plan.from().ingestTopics();
            List<Topic<String, ?>> targets = plan.to().ingestTopics();
            Set<String> existing = kafka.topicNames();
            for (int i = 0; i < sources.size(); i++) {
                if (!existing.contains(sources.get(i).name())) {
                    throw new ToolException("topic '" + sources.get(i).name() + "' does not exist on "
                            + kafka.bootstrapServers() + " (is --from-prefix '" + plan.from().prefix() + "' right?)");
                }
                if (!existing.contains(targets.get(i).name())) {
                    throw new ToolException("topic '" + targets.get(i).name() + "' does not exist: create the new"
                            + " generation first (JETTY_TOPIC_PREFIX=" + plan.to().prefix() + " ./jettyspeed topics"
                            + " --partitions " + plan.to().partitions() + ")");
                }
            }
            Map<String, TopicDescription> described = kafka.describeAll(
                    java.util.stream.Stream.concat(sources.stream(), targets.stream()).map(Topic::name).toList());
            for (Topic<String, ?> target : targets) {
                int actual = described.get(target.name()).partitions().size();
                if (actual != plan.to().partitions()) {
                    throw new ToolException("topic '" + target.name() + "' has " + actual + " partitions, expected "
                            + plan.to().partitions() + " (--partitions, JETTY_PARTITIONS)");
                }
            }

            try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(plan.progressGroup())) {
                List<TopicCopy> copies = new ArrayList<>();
                for (int i = 0; i < sources.size(); i++) {
                    copies.add(TopicCopy.prepare(consumer, sources.get(i).name(), targets.get(i).name(),
                            described.get(sources.get(i).name()).partitions().size(), kafka));
                }
                refusePartialHistory(copies);
                refuseForeignRecords(copies, consumer, plan.to().partitions());

                long copied = 0;
                if (!plan.dryRun()) {
                    try (KafkaProducer<byte[], byte[]> producer = kafka.transactionalProducer(plan.progressGroup())) {
                        initTransactions(producer, plan);
                        for (TopicCopy copy : copies) {
                            copy.copied = copy(consumer, producer, copy, plan);
                            copied += copy.copied;
                        }
                    }
                }
                for (TopicCopy copy : copies) {
                    out.println(RecordJson.write(line(copy, plan)));
                }
                long pending = copies.stream().mapToLong(TopicCopy::pending).sum();
                err.printf("%s %d records of %d event topics from prefix '%s' (%s) to prefix '%s' (%d partitions)%s%n",
                        plan.dryRun() ? "would copy" : "copied", plan.dryRun() ? pending : copied, copies.size(),
                        plan.from().prefix(), copies.stream().map(c -> String.valueOf(c.fromPartitions)).distinct()
                                .collect(Collectors.joining("/")) + " partitions",
                        plan.to().prefix(), plan.to().partitions(),
                        copies.stream().mapToLong(c -> c.alreadyCopied).sum() == 0 ? ""
                                : "; " + copies.stream().mapToLong(c -> c.alreadyCopied).sum()
                                        + " copied by earlier runs were not copied again");
                return 0;
            }
        }
    }

    /** Where one source topic stands: its partitions' first and end offsets and how far earlier runs copied. */
    static final class TopicCopy {
        final String source;
        final String target;
        final int fromPartitions;
        final Map<TopicPartition, Long> start = new HashMap<>();
        final Map<TopicPartition, Long> committed = new HashMap<>();
        final Map<TopicPartition, Long> end = new HashMap<>();
        long alreadyCopied;
        long copied;

        private TopicCopy(String source, String target, int fromPartitions) {
            this.source = source;
            this.target = target;
            this.fromPartitions = fromPartitions;
        }

        static TopicCopy prepare(KafkaConsumer<byte[], byte[]> consumer, String source, String target, int partitions,
                KafkaAccess kafka) {
            TopicCopy copy = new TopicCopy(source, target, partitions);
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(source, p));
            }
            try {
                copy.start.putAll(consumer.beginningOffsets(all));
                // read_committed: the end is the last stable offset, so an open transaction is not copied half.
                copy.end.putAll(consumer.endOffsets(all));
                Map<TopicPartition, OffsetAndMetadata> done = consumer.committed(Set.copyOf(all));
                for (TopicPartition partition : all) {
                    OffsetAndMetadata offset = done.get(partition);
                    copy.committed.put(partition, offset == null ? 0L : offset.offset());
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                throw kafka.unreachable();
            }
            // An offset is not a count (transaction markers take offsets too); close enough to say how much is left.
            copy.alreadyCopied = all.stream().mapToLong(p -> copy.committed.get(p) - copy.start.get(p)).sum();
            return copy;
        }

        long pending() {
            return start.keySet().stream().mapToLong(p -> Math.max(0, end.get(p) - committed.get(p))).sum();
        }

        boolean startedBefore() {
            return committed.values().stream().anyMatch(offset -> offset > 0);
        }
    }

    /** A re-read rebuilds state from what the source still holds: a history retention has cut is refused. */
    private static void refusePartialHistory(List<TopicCopy> copies) {
        for (TopicCopy copy : copies) {
            for (var entry : copy.start.entrySet()) {
                // Deleted before this copy reached them: before the first run, any offset above 0.
                if (entry.getValue() > copy.committed.get(entry.getKey())) {
                    throw new ToolException(copy.source + " partition " + entry.getKey().partition() + " starts at offset "
                            + entry.getValue() + ", not " + copy.committed.get(entry.getKey()) + ": events were deleted"
                            + " (retention) before they were copied, and a re-read would rebuild the aggregates without"
                            + " them (README \"Scaling out\")");
                }
            }
        }
    }

    /**
     * Target topics that hold committed records before the first run: someone else writes them (a gateway
     * already switched over, an earlier copy under another progress group), and copying would mix the two.
     * Records of aborted transactions (a first run that crashed) are not counted: nobody reads them.
     */
    private static void refuseForeignRecords(List<TopicCopy> copies, KafkaConsumer<byte[], byte[]> consumer,
            int targetPartitionCount) {
        if (copies.stream().anyMatch(TopicCopy::startedBefore)) {
            return;
        }
        for (TopicCopy copy : copies) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < targetPartitionCount; p++) {
                partitions.add(new TopicPartition(copy.target, p));
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<TopicPartition> unread = partitions.stream().filter(p -> ends.get(p) > 0).toList();
            consumer.assign(unread);
            consumer.seekToBeginning(unread);
            while (!consumer.assignment().isEmpty()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    ConsumerRecord<byte[], byte[]> first = records.iterator().next();
                    throw new ToolException(copy.target + " already holds records that no run of this copy wrote (partition "
                            + first.partition() + ", offset " + first.offset() + "); copy into an empty generation, before"
                            + " anything else writes to it");
                }
                consumer.assign(consumer.assignment().stream().filter(p -> consumer.position(p) < ends.get(p)).toList());
            }
        }
    }

    private static void initTransactions(KafkaProducer<byte[], byte[]> producer, Plan plan) {
        try {
            // Aborts whatever a crashed earlier run left open under the same transactional id.
            producer.initTransactions();
        } catch (KafkaException e) {
            throw new ToolException("cannot start the copy's transactions (" + plan.progressGroup() + "): " + e.getMessage());
        }
    }

    /** Copies one topic up to the end offsets seen when the run started; returns how many records it copied. */
    private static long copy(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer,
            TopicCopy copy, Plan plan) {
        List<TopicPartition> open = copy.start.keySet().stream()
                .filter(p -> copy.committed.get(p) < copy.end.get(p)).toList();
        if (open.isEmpty()) {
            return 0;
        }
        consumer.assign(open);
        open.forEach(p -> consumer.seek(p, Math.max(copy.committed.get(p), copy.start.get(p))));
        ConsumerGroupMetadata group = new ConsumerGroupMetadata(plan.progressGroup());
        long copied = 0;
        while (!consumer.assignment().isEmpty()) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
            List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() >= copy.end.get(partition)) {
                    continue; // arrived after this run started: the next run copies it
                }
                // No partition: the default partitioner hashes the key over the new partition count, as the gateway does.
                batch.add(new ProducerRecord<>(copy.target, null, record.timestamp(), record.key(), record.value(),
                        record.headers()));
                progress.put(partition, new OffsetAndMetadata(record.offset() + 1));
            }
            // Partitions whose position reached the end are done (markers past the last record included).
            for (TopicPartition partition : List.copyOf(consumer.assignment())) {
                if (consumer.position(partition) >= copy.end.get(partition)) {
                    progress.putIfAbsent(partition, new OffsetAndMetadata(copy.end.get(partition)));
                }
            }
            if (!progress.isEmpty()) {
                try {
                    producer.beginTransaction();
                    batch.forEach(producer::send);
                    producer.sendOffsetsToTransaction(progress, group);
                    producer.commitTransaction();
                } catch (ProducerFencedException e) {
                    throw new ToolException("another repartition from '" + plan.from().prefix() + "' to '"
                            + plan.to().prefix() + "' started and fenced this one; it carries on from here");
                } catch (KafkaException e) {
                    // Nothing of this transaction is visible; a re-run resumes from the last committed one.
                    throw new ToolException("copy of " + copy.source + " failed (" + e.getMessage() + "); " + copied
                            + " records were committed, a re-run carries on from there");
                }
                copied += batch.size();
            }
            List<TopicPartition> remaining = consumer.assignment().stream()
                    .filter(p -> consumer.position(p) < copy.end.get(p)).toList();
            consumer.assign(remaining);
        }
        return copied;
    }

    private static ObjectNode line(TopicCopy copy, Plan plan) {
        ObjectNode line = JSON.objectNode();
        line.put("from", copy.source);
        line.put("to", copy.target);
        line.put("action", plan.dryRun() ? "would-copy" : "copied");
        line.put("fromPartitions", copy.fromPartitions);
        line.put("toPartitions", plan.to().partitions());
        line.put("records", plan.dryRun() ? copy.pending() : copy.copied);
        line.put("alreadyCopied", copy.alreadyCopied);
        return line;
    }
}
