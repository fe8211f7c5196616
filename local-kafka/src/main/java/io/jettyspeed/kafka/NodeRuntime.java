package io.jettyspeed.kafka;

/** Where the nodes of an {@link InProcessKafka} cluster run. */
public enum NodeRuntime {

    /**
     * Inside this JVM: the fastest to start, and a node can be stopped and started again (a clean
     * bounce), but not killed: there is no way to end one in-process server without its shutdown
     * code running.
     */
    IN_PROCESS,

    /**
     * Each node in a child JVM of its own (this JVM's class path, {@link KafkaNodeMain}): a stop is
     * {@code SIGTERM} (Kafka's clean shutdown) and a kill is {@code SIGKILL}, as an operator or the
     * kernel would do it. A child ends itself when this JVM dies, so none is left behind.
     */
    CHILD_JVM
}
