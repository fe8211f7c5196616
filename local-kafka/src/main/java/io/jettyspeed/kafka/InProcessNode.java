package io.jettyspeed.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/** A node running inside this JVM. */
final class InProcessNode implements KafkaNode {

    private final InProcessKafka.NodeLayout layout;
    private final Properties props;
    private volatile KafkaRaftServer server;
    private volatile Duration lastStart = Duration.ZERO;

    InProcessNode(InProcessKafka.NodeLayout layout, Properties props) {
        this.layout = layout;
        this.props = props;
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
        return server != null;
    }

    @Override
    public NodeRuntime runtime() {
        return NodeRuntime.IN_PROCESS;
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("Kafka node " + id() + " is already running");
        }
        long started = System.nanoTime();
        KafkaRaftServer starting = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
        server = starting;
        try {
            starting.startup();
            NodeReadiness.await(id(), bootstrapServers(), InProcessKafka.startTimeout(), () -> server == starting,
                    () -> "");
        } catch (RuntimeException e) {
            server = null;
            throw e;
        }
        lastStart = Duration.ofNanos(System.nanoTime() - started);
    }

    @Override
    public synchronized void stop() {
        KafkaRaftServer running = server;
        if (running == null) {
            return;
        }
        running.shutdown();
        running.awaitShutdown();
        server = null;
    }

    @Override
    public void kill() {
        throw new UnsupportedOperationException("an in-process Kafka node cannot be killed: its shutdown always runs "
                + "(controlled shutdown, flush, clean-shutdown marker); start the cluster with childJvms() to SIGKILL a node");
    }

    @Override
    public Duration lastStartDuration() {
        return lastStart;
    }

    @Override
    public String toString() {
        return "in-process Kafka node " + id() + " at " + bootstrapServers();
    }
}
