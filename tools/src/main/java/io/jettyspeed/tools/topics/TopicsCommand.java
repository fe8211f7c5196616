package io.jettyspeed.tools.topics;

import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.tools.Args;
import io.jettyspeed.tools.KafkaAccess;
import io.jettyspeed.tools.ToolException;
import io.jettyspeed.tools.records.RecordJson;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ./jettyspeed topics}: creates the whole catalogue ({@link Topics#all()}: event and
 * aggregate topics, aggregates compacted, and every {@code -dlt} topic) on any cluster, with the
 * partition count, replication factor and {@code min.insync.replicas} given. Idempotent: topics that
 * exist are checked, not changed; one whose partitions, replication factor, cleanup policy or
 * minimum in-sync replicas differ is reported and the command ends with status 3.
 */
public final class TopicsCommand {

    /** Some topic exists with settings other than the catalogue's. */
    public static final int DIFFERS = 3;

    public static final String USAGE = """
            usage: ./jettyspeed topics [--bootstrap-servers HOST:PORT,...] [--partitions N] [--replication-factor R]
                                       [--min-insync-replicas M] [--prefix P] [--dry-run] [--timeout 10s]
              Creates every catalogue topic that is missing (events, compacted aggregates, the -dlt topics) and
              checks the ones that exist. Prints one JSON object per topic (action: created, would-create, exists,
              differs). Exit status 3 when an existing topic differs from the catalogue: it is reported, not changed.
              --partitions           partitions of every topic     (JETTY_PARTITIONS, default 6)
              --replication-factor   replicas of every partition   (JETTY_REPLICATION_FACTOR, default 3)
              --min-insync-replicas  replicas an acks=all write needs (JETTY_MIN_INSYNC_REPLICAS, default 2)
              --prefix               prefix of every topic name    (JETTY_TOPIC_PREFIX, default none)
              --dry-run              check and print, create nothing
              A one-broker cluster (the local run) takes --replication-factor 1 --min-insync-replicas 1.
              Kafka: --bootstrap-servers, else KAFKA_BOOTSTRAP_SERVERS, else localhost:9092.""";

    private static final Set<String> OPTIONS = Set.of("--bootstrap-servers", "--partitions", "--replication-factor",
            "--min-insync-replicas", "--prefix", "--timeout");
    private static final Set<String> FLAGS = Set.of("--dry-run");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private TopicsCommand() {
    }

    /** What the command line and the environment ask for. */
    record Plan(Topics topics, Topics.Replication replication, boolean dryRun) {
    }

    static Plan plan(Args args, Map<String, String> env) {
        args.noPositional();
        Topics.Replication defaults;
        int partitions;
        try {
            defaults = Topics.Replication.fromEnvironment(env);
            partitions = Topics.partitionsFromEnvironment(env);
        } catch (IllegalArgumentException e) {
            throw ToolException.usage(e.getMessage());
        }
        partitions = args.intOption("--partitions", partitions, 1);
        int factor = args.intOption("--replication-factor", defaults.factor(), 1);
        int fallbackMin = args.has("--replication-factor") ? Math.min(defaults.minInsyncReplicas(), factor)
                : defaults.minInsyncReplicas();
        int minInsync = args.intOption("--min-insync-replicas", fallbackMin, 1);
        Topics.Replication replication;
        try {
            replication = Topics.Replication.of(factor, minInsync);
        } catch (IllegalArgumentException e) {
            throw ToolException.usage(e.getMessage());
        }
        String prefix = args.option("--prefix", env.getOrDefault(Topics.PREFIX_ENV, ""));
        return new Plan(Topics.of(prefix, partitions), replication, args.flag("--dry-run"));
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Args parsed = Args.parse(Arrays.asList(args), OPTIONS, FLAGS);
        Plan plan = plan(parsed, env);
        try (KafkaAccess kafka = KafkaAccess.from(parsed, env)) {
            int brokers = kafka.requireReachable();
            if (plan.replication().factor() > brokers) {
                throw new ToolException("replication factor " + plan.replication().factor() + " needs at least that many brokers; "
                        + kafka.bootstrapServers() + " has " + brokers
                        + (brokers == 1 ? " (a one-broker cluster takes --replication-factor 1 --min-insync-replicas 1)" : ""));
            }
            Map<String, Topic<?, ?>> wanted = new LinkedHashMap<>();
            plan.topics().all().forEach(topic -> wanted.put(topic.name(), topic));
            Set<String> existing = kafka.topicNames();

            List<Topic<?, ?>> missing = wanted.values().stream().filter(t -> !existing.contains(t.name())).toList();
            List<String> present = wanted.keySet().stream().filter(existing::contains).collect(Collectors.toList());
            Map<String, String> created = new LinkedHashMap<>();
            if (!plan.dryRun() && !missing.isEmpty()) {
                var results = kafka.admin().createTopics(missing.stream().map(t -> t.toNewTopic(plan.replication())).toList())
                        .values();
                for (Topic<?, ?> topic : missing) {
                    try {
                        results.get(topic.name()).get(kafka.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
                        created.put(topic.name(), "created");
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof TopicExistsException) {
                            present.add(topic.name()); // someone else was quicker: check it like the others
                        } else {
                            throw new ToolException("cannot create " + topic.name() + ": " + e.getCause().getMessage());
                        }
                    } catch (java.util.concurrent.TimeoutException e) {
                        throw kafka.unreachable();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ToolException("interrupted");
                    }
                }
            }
            Map<String, TopicDescription> descriptions = present.isEmpty() ? Map.of() : kafka.describeAll(present);
            Map<ConfigResource, Config> configs = present.isEmpty() ? Map.of() : kafka.await(kafka.admin().describeConfigs(
                    present.stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList()).all(),
                    "describe topic configs");

            int differing = 0;
            int made = 0;
            for (Topic<?, ?> topic : wanted.values()) {
                ObjectNode line;
                if (descriptions.containsKey(topic.name())) {
                    Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
                    List<String> differences = differences(topic, plan.replication(), descriptions.get(topic.name()), config);
                    line = existingLine(topic, descriptions.get(topic.name()), config, differences);
                    differing += differences.isEmpty() ? 0 : 1;
                } else {
                    line = wantedLine(topic, plan.replication(), created.containsKey(topic.name()) ? "created" : "would-create");
                    made += created.containsKey(topic.name()) ? 1 : 0;
                }
                out.println(RecordJson.write(line));
            }
            err.printf("%d catalogue topics on %s (%s, %s): %d %s, %d already there%s%n", wanted.size(),
                    kafka.bootstrapServers(), plan.topics().partitions() + " partitions", plan.replication(),
                    plan.dryRun() ? missing.size() : made, plan.dryRun() ? "to create (dry run)" : "created",
                    wanted.size() - missing.size(),
                    differing == 0 ? "" : "; " + differing + " differ from the catalogue and were left as they are");
            return differing == 0 ? 0 : DIFFERS;
        }
    }

    static List<String> differences(Topic<?, ?> topic, Topics.Replication replication, TopicDescription description,
            Config config) {
        List<String> differences = new ArrayList<>();
        int partitions = description.partitions().size();
        if (partitions != topic.partitions()) {
            differences.add("partitions " + partitions + ", catalogue " + topic.partitions());
        }
        Set<Integer> factors = description.partitions().stream().map(p -> p.replicas().size()).collect(Collectors.toSet());
        if (!factors.equals(Set.of((int) replication.factor()))) {
            differences.add("replication factor " + factors.stream().sorted().map(String::valueOf)
                    .collect(Collectors.joining("/")) + ", catalogue " + replication.factor());
        }
        topic.configs(replication).forEach((name, value) -> {
            String actual = value(config, name);
            if (!value.equals(actual)) {
                differences.add(name + " " + actual + ", catalogue " + value);
            }
        });
        return differences;
    }

    private static ObjectNode existingLine(Topic<?, ?> topic, TopicDescription description, Config config,
            List<String> differences) {
        ObjectNode line = JSON.objectNode();
        line.put("topic", topic.name());
        line.put("action", differences.isEmpty() ? "exists" : "differs");
        line.put("partitions", description.partitions().size());
        line.put("replicationFactor", description.partitions().stream().mapToInt(p -> p.replicas().size()).max().orElse(0));
        putNumber(line, "minInsyncReplicas", value(config, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG));
        line.put("cleanupPolicy", value(config, TopicConfig.CLEANUP_POLICY_CONFIG));
        line.put("underReplicatedPartitions", (int) description.partitions().stream()
                .filter(p -> p.isr().size() < p.replicas().size()).count());
        if (!differences.isEmpty()) {
            differences.forEach(line.putArray("differences")::add);
        }
        return line;
    }

    private static ObjectNode wantedLine(Topic<?, ?> topic, Topics.Replication replication, String action) {
        ObjectNode line = JSON.objectNode();
        line.put("topic", topic.name());
        line.put("action", action);
        line.put("partitions", topic.partitions());
        line.put("replicationFactor", replication.factor());
        Map<String, String> configs = topic.configs(replication);
        putNumber(line, "minInsyncReplicas", configs.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG));
        line.put("cleanupPolicy", configs.get(TopicConfig.CLEANUP_POLICY_CONFIG));
        return line;
    }

    private static String value(Config config, String name) {
        ConfigEntry entry = config == null ? null : config.get(name);
        return entry == null ? null : entry.value();
    }

    private static void putNumber(ObjectNode line, String name, String value) {
        try {
            line.put(name, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            line.put(name, value);
        }
    }
}
