package io.jettyspeed.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A node running in a {@link ChildJvm} ({@link KafkaNodeMain}) with this JVM's class path; its output goes
 * to {@code node.log} in its folder. The child halts when this JVM dies, however it dies.
 */
final class ChildJvmNode implements KafkaNode {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final InProcessKafka.NodeLayout layout;
    private final Path configFile;
    private final List<String> jvmOptions;
    private volatile ChildJvm child;
    private volatile Duration lastStart = Duration.ZERO;

    ChildJvmNode(InProcessKafka.NodeLayout layout, Path configFile, List<String> jvmOptions) {
        this.layout = layout;
        this.configFile = configFile;
        this.jvmOptions = jvmOptions;
    }

    @Override
    public int id() {
        return layout.id();
    }

    @Override
    public String bootstrapServers() {
        return "localhost:" + layout.brokerPort();
    }

    @Override
    public Path dataDir() {
        return layout.dir();
    }

    @Override
    public boolean isRunning() {
        ChildJvm current = child;
        return current != null && current.isAlive();
    }

    @Override
    public NodeRuntime runtime() {
        return NodeRuntime.CHILD_JVM;
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            throw new IllegalStateException("Kafka node " + id() + " is already running");
        }
        long started = System.nanoTime();
        ChildJvm child_ = ChildJvm.start("kafka-node-" + id(), KafkaNodeMain.class.getName(),
                List.of(configFile.toAbsolutePath().toString()), jvmOptions, Map.of(), layout.dir().resolve("node.log"));
        child = child_;
        try {
            NodeReadiness.await(id(), bootstrapServers(), InProcessKafka.startTimeout(), child_::isAlive,
                    () -> " (log: " + child_.log() + ")\n" + child_.tail(30));
        } catch (RuntimeException e) {
            child_.kill();
            throw e;
        }
        lastStart = Duration.ofNanos(System.nanoTime() - started);
    }

    /** {@code SIGTERM}: Kafka's own clean shutdown in the child, as a service manager would stop it. */
    @Override
    public synchronized void stop() {
        ChildJvm current = child;
        if (current != null) {
            try {
                current.stop(STOP_TIMEOUT);
            } finally {
                child = null;
            }
        }
    }

    /** {@code SIGKILL}. */
    @Override
    public synchronized void kill() {
        ChildJvm current = child;
        if (current != null) {
            current.kill();
            child = null;
        }
    }

    @Override
    public Duration lastStartDuration() {
        return lastStart;
    }

    @Override
    public String toString() {
        return "Kafka node " + id() + " (child JVM) at " + bootstrapServers();
    }
}
