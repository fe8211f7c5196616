package io.jettyspeed.kafka;

import java.time.Duration;

/**
 * The child JVM of something that is started, stopped and killed again and again under one name (a Kafka
 * node, a service a test crashes): at most one at a time, none once it is stopped or killed.
 */
public final class ChildJvmSlot {

    private volatile ChildJvm child;

    /** The running child, or {@code null}; it may have ended on its own since. */
    public ChildJvm current() {
        return child;
    }

    public boolean isRunning() {
        ChildJvm current = child;
        return current != null && current.isAlive();
    }

    public void set(ChildJvm started) {
        child = started;
    }

    /** {@link ChildJvm#stop(Duration)} of the child, if any; the slot is empty after, even when that throws. */
    public synchronized void stop(Duration timeout) {
        ChildJvm current = child;
        if (current != null) {
            try {
                current.stop(timeout);
            } finally {
                child = null;
            }
        }
    }

    /** {@link ChildJvm#kill()} of the child, if any. */
    public synchronized void kill() {
        ChildJvm current = child;
        if (current != null) {
            current.kill();
            child = null;
        }
    }
}
