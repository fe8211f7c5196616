package io.jettyspeed.kafka;

import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/** A node running inside this JVM. */
final class InProcessNode extends AbstractKafkaNode {

    private final Properties props;
    private volatile KafkaRaftServer server;

    InProcessNode(InProcessKafka.NodeLayout layout, Properties props) {
        super(layout);
        this.props = props;
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
    void launch() {
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
    public String toString() {
        return "in-process Kafka node " + id() + " at " + bootstrapServers();
    }
}
