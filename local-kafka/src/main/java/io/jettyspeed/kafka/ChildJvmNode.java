package io.jettyspeed.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A node running in a {@link ChildJvm} ({@link KafkaNodeMain}) with this JVM's class path; its output goes
 * to {@code node.log} in its folder. The child halts when this JVM dies, however it dies.
 */
final class ChildJvmNode extends AbstractKafkaNode {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Path configFile;
    private final List<String> jvmOptions;
    private final ChildJvmSlot child = new ChildJvmSlot();

    ChildJvmNode(InProcessKafka.NodeLayout layout, Path configFile, List<String> jvmOptions) {
        super(layout);
        this.configFile = configFile;
        this.jvmOptions = jvmOptions;
    }

    @Override
    public boolean isRunning() {
        return child.isRunning();
    }

    @Override
    public NodeRuntime runtime() {
        return NodeRuntime.CHILD_JVM;
    }

    @Override
    void launch() {
        ChildJvm started = ChildJvm.start("kafka-node-" + id(), KafkaNodeMain.class.getName(),
                List.of(configFile.toAbsolutePath().toString()), jvmOptions, Map.of(), dataDir().resolve("node.log"));
        child.set(started);
        try {
            NodeReadiness.await(id(), bootstrapServers(), InProcessKafka.startTimeout(), started::isAlive,
                    () -> " (log: " + started.log() + ")\n" + started.tail(30));
        } catch (RuntimeException e) {
            started.kill();
            throw e;
        }
    }

    /** {@code SIGTERM}: Kafka's own clean shutdown in the child, as a service manager would stop it. */
    @Override
    public synchronized void stop() {
        child.stop(STOP_TIMEOUT);
    }

    /** {@code SIGKILL}. */
    @Override
    public synchronized void kill() {
        child.kill();
    }

    @Override
    public String toString() {
        return "Kafka node " + id() + " (child JVM) at " + bootstrapServers();
    }
}
