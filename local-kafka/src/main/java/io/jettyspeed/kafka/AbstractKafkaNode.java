package io.jettyspeed.kafka;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What every node has whatever it runs in: its place in the cluster's layout (id, broker port,
 * folder), and a start that refuses a running node and times how long the node took to answer.
 */
abstract class AbstractKafkaNode implements KafkaNode {

    private final InProcessKafka.NodeLayout layout;
    private volatile Duration lastStart = Duration.ZERO;

    AbstractKafkaNode(InProcessKafka.NodeLayout layout) {
        this.layout = layout;
    }

    @Override
    public final int id() {
        return layout.id();
    }

    @Override
    public final String bootstrapServers() {
        return "localhost:" + layout.brokerPort();
    }

    @Override
    public final Path dataDir() {
        return layout.dir();
    }

    @Override
    public final synchronized void start() {
        if (isRunning()) {
            throw new IllegalStateException("Kafka node " + id() + " is already running");
        }
        long started = System.nanoTime();
        launch();
        lastStart = Duration.ofNanos(System.nanoTime() - started);
    }

    /** Starts the node and returns once it answers; on failure, leaves nothing of it running. */
    abstract void launch();

    @Override
    public final Duration lastStartDuration() {
        return lastStart;
    }
}
