package io.jettyspeed.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Apache Kafka cluster (KRaft) started and owned by this JVM: one node for the local run, or
 * N nodes for tests of replication and broker failures. Every node is broker and controller in one
 * ("combined" mode); the controller quorum is static ({@code controller.quorum.voters} lists every
 * node), so a 3-node cluster keeps a quorum with any one node down.
 *
 * <p>Settings follow the cluster's size: with 3 or more nodes the internal topics (consumer offsets,
 * transaction state, share-group state) have replication factor 3 and {@code min.insync.replicas}
 * 2, as do topics created without settings of their own; with one node, 1 and 1, so exactly-once
 * works on a single broker. The local run keeps its data under a folder, so a restart keeps every
 * topic; tests give it a temporary folder.
 *
 * <p>Nodes run {@linkplain NodeRuntime#IN_PROCESS in this JVM} or {@linkplain NodeRuntime#CHILD_JVM
 * as child JVMs}; only the latter can be {@linkplain KafkaNode#kill() killed}.
 */
public final class InProcessKafka implements AutoCloseable {

    /** A ceiling, not a wait: nodes usually serve within seconds, but a shared 2-core CI machine can take minutes. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    private final List<KafkaNode> nodes;
    private final Path dataDir;

    InProcessKafka(List<KafkaNode> nodes, Path dataDir) {
        this.nodes = List.copyOf(nodes);
        this.dataDir = dataDir;
    }

    /**
     * Starts a one-node cluster whose data lives in {@code dataDir} (formatted on first use, reused
     * after), listening on {@code port} (0 picks a free port).
     */
    public static InProcessKafka start(Path dataDir, int port) {
        return builder(dataDir).port(port).start();
    }

    /** Starts an N-node cluster in this JVM, data under {@code dataDir/node-<id>}. */
    public static InProcessKafka startCluster(Path dataDir, int nodes) {
        return builder(dataDir).nodes(nodes).start();
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** Every node's listener, comma-separated: what clients bootstrap from. */
    public String bootstrapServers() {
        return nodes.stream().map(KafkaNode::bootstrapServers).collect(Collectors.joining(","));
    }

    public Path dataDir() {
        return dataDir;
    }

    public List<KafkaNode> nodes() {
        return nodes;
    }

    /** The node with this {@code node.id} (1 to N). */
    public KafkaNode node(int id) {
        return nodes.stream().filter(node -> node.id() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + id + " in a cluster of " + nodes.size()));
    }

    /** The replication factor this cluster gives internal topics and topics created without one: min(3, nodes). */
    public int replicationFactor() {
        return replicationFactor(nodes.size());
    }

    /** The {@code min.insync.replicas} it gives them: 2 from 3 nodes on, else 1. */
    public int minInsyncReplicas() {
        return minInsyncReplicas(nodes.size());
    }

    /** The node id of the active KRaft controller (the quorum leader). */
    public int activeControllerId() {
        try (Admin admin = admin()) {
            return admin.describeMetadataQuorum().quorumInfo().get().leaderId();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking for the active controller", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe the metadata quorum", e.getCause());
        }
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get();
            var missing = topics.stream().filter(t -> !existing.contains(t.name())).collect(Collectors.toList());
            if (missing.isEmpty()) {
                return;
            }
            for (var result : admin.createTopics(missing).values().values()) {
                try {
                    result.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topics " + missing, e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics", e.getCause());
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /**
     * Waits until every partition of every topic (the internal ones included) has all its replicas in
     * sync again, for instance after a node came back; returns how long that took.
     */
    public Duration awaitFullyReplicated(Duration timeout) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        List<String> lagging = List.of();
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
                    Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
                    lagging = new ArrayList<>();
                    for (TopicDescription topic : topics.values()) {
                        for (TopicPartitionInfo partition : topic.partitions()) {
                            if (partition.isr().size() < partition.replicas().size()) {
                                lagging.add(topic.name() + "-" + partition.partition());
                            }
                        }
                    }
                    if (lagging.isEmpty()) {
                        return Duration.ofNanos(System.nanoTime() - started);
                    }
                } catch (ExecutionException e) {
                    lagging = List.of("(" + e.getCause() + ")");
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for replicas", e);
        }
        throw new IllegalStateException("replicas not in sync after " + timeout + ": "
                + lagging.stream().limit(10).collect(Collectors.joining(", ")));
    }

    /**
     * Stops every node that runs, all at once (one at a time, the last node would wait for a
     * controller quorum that is already gone). All at once still races on a loaded machine: a broker
     * that asks for its controlled shutdown after two of the three controllers have stopped waits for an
     * answer that cannot come (Kafka gives up after five minutes). Such a node is killed after the stop
     * timeout and reported on standard error; its logs recover on the next start, as after a crash. This
     * throws only if a node still runs afterwards.
     */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stops = nodes.stream().filter(KafkaNode::isRunning)
                .map(node -> CompletableFuture.runAsync(() -> stopOrReport(node),
                        daemonExecutor("kafka-node-" + node.id() + "-stop")))
                .toList();
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
        List<KafkaNode> running = nodes.stream().filter(KafkaNode::isRunning).toList();
        if (!running.isEmpty()) {
            throw new IllegalStateException("Kafka nodes still run after the cluster's stop: " + running);
        }
    }

    private static void stopOrReport(KafkaNode node) {
        try {
            node.stop();
        } catch (RuntimeException e) {
            System.err.println("warning: " + node + " did not stop cleanly with the cluster: " + e.getMessage());
        }
    }

    static int replicationFactor(int nodes) {
        return Math.min(3, nodes);
    }

    static int minInsyncReplicas(int nodes) {
        return nodes >= 3 ? 2 : 1;
    }

    static java.util.concurrent.Executor daemonExecutor(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            thread.start();
        };
    }

    /** How to start a cluster: size, runtime, ports and extra broker settings. */
    public static final class Builder {

        private final Path dataDir;
        private int nodes = 1;
        private int port;
        private NodeRuntime runtime = NodeRuntime.IN_PROCESS;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private List<String> jvmOptions = List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC");

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        /** How many nodes (default 1). A cluster's ports are chosen on first start and kept with its data. */
        public Builder nodes(int nodes) {
            if (nodes < 1) {
                throw new IllegalArgumentException("a cluster needs at least one node, was " + nodes);
            }
            this.nodes = nodes;
            return this;
        }

        /** The client port of a one-node cluster (0, the default, picks a free one at every start). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder runtime(NodeRuntime runtime) {
            this.runtime = runtime;
            return this;
        }

        /** Every node in a child JVM of its own, so that it can be killed ({@code SIGKILL}). */
        public Builder childJvms() {
            return runtime(NodeRuntime.CHILD_JVM);
        }

        /** A broker setting on every node, over the defaults (e.g. {@code broker.session.timeout.ms}). */
        public Builder brokerProperty(String name, String value) {
            overrides.put(name, value);
            return this;
        }

        /** JVM options of child-JVM nodes (default a 512 MB heap with the serial collector). */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        /** Formats what is new, starts every node and returns once all of them serve clients. */
        public InProcessKafka start() {
            if (nodes > 1 && port != 0) {
                throw new IllegalArgumentException("a fixed port is for one node; a cluster picks its own ports");
            }
            try {
                Files.createDirectories(dataDir);
                List<NodeLayout> layouts = nodes == 1 ? List.of(NodeLayout.single(dataDir, port))
                        : NodeLayout.cluster(dataDir, nodes);
                String voters = layouts.stream().map(l -> l.id() + "@localhost:" + l.controllerPort())
                        .collect(Collectors.joining(","));
                String clusterId = nodes == 1 ? Uuid.randomUuid().toString() : NodeLayout.clusterId(dataDir);
                List<KafkaNode> started = new ArrayList<>();
                for (NodeLayout layout : layouts) {
                    Properties props = brokerProperties(layout, voters, nodes);
                    overrides.forEach(props::setProperty);
                    Path configFile = layout.dir().resolve("server.properties");
                    try (var out = Files.newBufferedWriter(configFile)) {
                        props.store(out, "KRaft node " + layout.id() + " of " + nodes);
                    }
                    if (!Files.exists(layout.logDir().resolve("meta.properties"))) {
                        format(configFile, clusterId);
                    }
                    started.add(runtime == NodeRuntime.IN_PROCESS ? new InProcessNode(layout, props)
                            : new ChildJvmNode(layout, configFile, jvmOptions));
                }
                InProcessKafka kafka = new InProcessKafka(started, dataDir);
                startAll(kafka, started);
                return kafka;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare Kafka data dir " + dataDir, e);
            }
        }

        /**
         * All at once: a node's start returns only once it serves clients, which needs a controller
         * quorum, which needs the other nodes.
         */
        private static void startAll(InProcessKafka kafka, List<KafkaNode> nodes) {
            List<CompletableFuture<Void>> starts = nodes.stream()
                    .map(node -> CompletableFuture.runAsync(node::start, daemonExecutor("kafka-node-" + node.id() + "-start")))
                    .toList();
            try {
                CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                try {
                    kafka.nodes.stream().filter(KafkaNode::isRunning).forEach(node -> {
                        if (node.runtime() == NodeRuntime.CHILD_JVM) {
                            node.kill();
                        }
                    });
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
            }
        }
    }

    static Properties brokerProperties(NodeLayout layout, String voters, int nodes) {
        String replication = Integer.toString(replicationFactor(nodes));
        String minIsr = Integer.toString(minInsyncReplicas(nodes));
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(layout.id()));
        props.put("controller.quorum.voters", voters);
        props.put("listeners", "PLAINTEXT://localhost:" + layout.brokerPort() + ",CONTROLLER://localhost:"
                + layout.controllerPort());
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + layout.brokerPort());
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", layout.logDir().toAbsolutePath().toString());
        props.put("num.partitions", "6");
        // Topics come from the catalogue; a typo must not silently create a new one.
        props.put("auto.create.topics.enable", "false");
        props.put("default.replication.factor", replication);
        props.put("min.insync.replicas", minIsr);
        props.put("offsets.topic.replication.factor", replication);
        props.put("offsets.topic.num.partitions", "6");
        props.put("transaction.state.log.replication.factor", replication);
        props.put("transaction.state.log.min.isr", minIsr);
        props.put("transaction.state.log.num.partitions", "6");
        props.put("share.coordinator.state.topic.replication.factor", replication);
        props.put("share.coordinator.state.topic.min.isr", minIsr);
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        return props;
    }

    private static void format(Path configFile, String clusterId) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        // StorageTool.main would exit the JVM; execute returns a status instead.
        int status = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", configFile.toString()},
                new PrintStream(output, true, StandardCharsets.UTF_8));
        if (status != 0) {
            throw new IllegalStateException("cannot format Kafka storage: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    static Duration startTimeout() {
        return START_TIMEOUT;
    }

    /** One node's folder and ports. */
    record NodeLayout(int id, Path dir, int brokerPort, int controllerPort) {

        Path logDir() {
            return dir.resolve("logs");
        }

        /**
         * The one-node layout the local run has always used: data straight in {@code dataDir}; the
         * controller port is part of the formatted quorum, so it is chosen once and kept with the data.
         */
        static NodeLayout single(Path dataDir, int port) throws IOException {
            Path file = dataDir.resolve("controller.port");
            int controllerPort;
            if (Files.exists(file)) {
                controllerPort = Integer.parseInt(Files.readString(file).trim());
            } else {
                controllerPort = freePorts(1).get(0);
                Files.writeString(file, Integer.toString(controllerPort));
            }
            return new NodeLayout(1, dataDir, port == 0 ? freePorts(1).get(0) : port, controllerPort);
        }

        /**
         * {@code dataDir/node-<id>} per node; every port is chosen on first start and kept in
         * {@code dataDir/cluster.properties}: the voters and the clients' bootstrap list name them.
         */
        static List<NodeLayout> cluster(Path dataDir, int nodes) throws IOException {
            Properties ports = clusterProperties(dataDir);
            if (ports.getProperty("nodes") == null) {
                List<Integer> free = freePorts(2 * nodes);
                ports.setProperty("nodes", Integer.toString(nodes));
                ports.setProperty("cluster.id", Uuid.randomUuid().toString());
                for (int id = 1; id <= nodes; id++) {
                    ports.setProperty("node." + id + ".broker.port", free.get(2 * (id - 1)).toString());
                    ports.setProperty("node." + id + ".controller.port", free.get(2 * (id - 1) + 1).toString());
                }
                try (var out = Files.newBufferedWriter(dataDir.resolve("cluster.properties"))) {
                    ports.store(out, "ports and id of this in-process Kafka cluster");
                }
            } else if (Integer.parseInt(ports.getProperty("nodes")) != nodes) {
                throw new IllegalStateException(dataDir + " holds a cluster of " + ports.getProperty("nodes")
                        + " nodes, not " + nodes);
            }
            List<NodeLayout> layouts = new ArrayList<>();
            for (int id = 1; id <= nodes; id++) {
                Path dir = Files.createDirectories(dataDir.resolve("node-" + id));
                layouts.add(new NodeLayout(id, dir, Integer.parseInt(ports.getProperty("node." + id + ".broker.port")),
                        Integer.parseInt(ports.getProperty("node." + id + ".controller.port"))));
            }
            return layouts;
        }

        static String clusterId(Path dataDir) throws IOException {
            return clusterProperties(dataDir).getProperty("cluster.id");
        }

        private static Properties clusterProperties(Path dataDir) throws IOException {
            Properties props = new Properties();
            Path file = dataDir.resolve("cluster.properties");
            if (Files.exists(file)) {
                try (var in = Files.newBufferedReader(file)) {
                    props.load(in);
                }
            }
            return props;
        }

        /** Distinct free ports: every socket stays open until all are chosen. */
        private static List<Integer> freePorts(int count) throws IOException {
            List<ServerSocket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    ServerSocket socket = new ServerSocket(0);
                    socket.setReuseAddress(true);
                    sockets.add(socket);
                }
                return sockets.stream().map(ServerSocket::getLocalPort).toList();
            } finally {
                for (ServerSocket socket : sockets) {
                    socket.close();
                }
            }
        }
    }
}
