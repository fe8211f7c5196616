package io.jettyspeed.processors;

import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Keeps the store partitions an application is restoring from their changelogs. Kafka Streams 4.1
 * restores in its state updater while the application already says RUNNING, so without this the
 * readiness probe would call an instance ready whose restored tasks process nothing yet (seen after a
 * kill -9: up to 6 s between RUNNING and the last topology processing again).
 */
final class RestoreTracker implements StateRestoreListener {

    private final Set<String> restoring;

    RestoreTracker(Set<String> restoring) {
        this.restoring = restoring;
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        restoring.add(key(partition, store));
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long restored) {
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        restoring.remove(key(partition, store));
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        restoring.remove(key(partition, store));
    }

    private static String key(TopicPartition partition, String store) {
        return store + "@" + partition;
    }
}
