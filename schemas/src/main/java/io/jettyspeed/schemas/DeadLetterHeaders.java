package io.jettyspeed.schemas;

/** Kafka record headers that dead-letter handling reads and writes. */
public final class DeadLetterHeaders {

    /**
     * Set on a record that {@code ./jettyspeed dlt replay} re-sent to its source topic: the
     * coordinates {@code <dlt topic>/<partition>/<offset>} of the dead letter it came from. A stage
     * that dead-letters such a record again copies it into {@link DeadLetter#getReplayedFrom()}.
     */
    public static final String REPLAYED_FROM = "jetty.replayed-from";

    private DeadLetterHeaders() {
    }
}
