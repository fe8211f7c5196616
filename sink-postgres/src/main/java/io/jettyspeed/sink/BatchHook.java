package io.jettyspeed.sink;

import java.util.Collection;
import org.apache.kafka.common.TopicPartition;

/**
 * Called on the consumer thread before each batch transaction, with the partitions it is about to
 * write. Production has none; tests register one (a bean) to hold an instance mid-batch, for
 * example to turn it into a zombie that lost its partitions while it held a batch.
 */
@FunctionalInterface
public interface BatchHook {

    void beforeTransaction(Collection<TopicPartition> partitions);
}
