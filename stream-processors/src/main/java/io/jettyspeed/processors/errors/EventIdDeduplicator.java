package io.jettyspeed.processors.errors;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Remembers which event ids were applied, for a bounded window of event time, so the same event
 * delivered twice (client retry, gateway retry) counts once. A window store drops whole expired
 * segments as stream time advances, so memory stays bounded without a cleanup scan.
 *
 * <p>Used inside each aggregating processor, before the aggregate, so the check and the update
 * commit atomically under exactly-once.
 */
public record EventIdDeduplicator(WindowStore<String, Long> store, long windowMs, DropCounter duplicates) {

    public static StoreBuilder<WindowStore<String, Long>> storeBuilder(String name, Duration window) {
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, window, window, false),
                Serdes.String(), Serdes.Long());
    }

    public static EventIdDeduplicator open(ProcessorContext<?, ?> context, String storeName, Duration window,
            String processor) {
        return new EventIdDeduplicator(context.getStateStore(storeName), window.toMillis(),
                DropCounter.register(context, processor, "duplicate"));
    }

    /** True the first time an id is seen within the window (and remembers it); false for a duplicate (counted). */
    public boolean firstTime(String eventId, long eventTime) {
        try (WindowStoreIterator<Long> seen = store.fetch(eventId, eventTime - windowMs, eventTime + windowMs)) {
            if (seen.hasNext()) {
                duplicates.record();
                return false;
            }
        }
        store.put(eventId, eventTime, eventTime);
        return true;
    }
}
