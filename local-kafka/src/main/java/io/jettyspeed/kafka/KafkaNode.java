package io.jettyspeed.kafka;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One node (broker and KRaft controller in one) of an {@link InProcessKafka} cluster. It keeps its
 * data folder and ports when it is stopped, so {@link #start()} brings back the same node.
 */
public interface KafkaNode {

    /** The node id ({@code node.id}), 1 to N. */
    int id();

    /** Its own client listener, {@code localhost:<port>}. */
    String bootstrapServers();

    /** Its data folder (log dirs and the KRaft metadata log under {@code logs/}). */
    Path dataDir();

    boolean isRunning();

    /** How the node runs: in this JVM, or as a child JVM of its own. */
    NodeRuntime runtime();

    /**
     * A clean stop: controlled shutdown (the controller moves the leaderships away first), logs
     * flushed, clean-shutdown markers written. Returns once the node is down.
     */
    void stop();

    /**
     * An abrupt stop: {@code SIGKILL} of the node's JVM, so the controller only learns of it when the
     * broker's session times out ({@code broker.session.timeout.ms}), nothing is flushed and the
     * restart recovers its logs. Only {@link NodeRuntime#CHILD_JVM} nodes can be killed; an
     * in-process node throws {@link UnsupportedOperationException} rather than pretend.
     */
    void kill();

    /** Starts the node again on its folder and ports and returns once it serves clients (unfenced). */
    void start();

    /** How long the last {@link #start()} took, until the node served clients. */
    Duration lastStartDuration();
}
