package io.jettyspeed.processors.skeleton;

import io.jettyspeed.processors.errors.DeadLetters;
import io.jettyspeed.processors.errors.DropCounter;
import io.jettyspeed.processors.errors.EventIdDeduplicator;
import io.jettyspeed.processors.state.StoreSizes;
import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The preamble every aggregating processor shares, written once: on init it opens the event-id
 * window store and the drop counters, registers the store-size metric and schedules the wall-clock
 * sweep (which records the store sizes after the processor's own work); while processing it offers
 * the late check ({@link #late}), the event-id dedup ({@link #firstTime}) and a dead letter for the
 * record at hand ({@link #deadLetter}). A processor extends it, opens its own stores in
 * {@link #open}, and writes only its own logic in {@code process}.
 *
 * <p>Why our own and not a Kafka Streams feature: the aggregates are plain key-value stores updated
 * by a processor (they expire, eject and tombstone on punctuators), and Kafka Streams' grace and
 * windowed dedup exist only for its windowed DSL aggregations.
 *
 * @param <I> the sealed interface over the inputs the processor accepts
 * @param <O> what it forwards
 */
public abstract class EventProcessor<I extends InputEvent, O> implements Processor<String, I, String, O> {

    private final String name;
    private final String eventIdStore;
    private final Duration dedupWindow;
    private final Duration grace;
    private final Duration sweepInterval;

    protected ProcessorContext<String, O> context;
    private EventIdDeduplicator eventIds;
    private DropCounter late;
    private StoreSizes sizes;

    /**
     * @param name          the processor's name in the topology; tags its metrics and dead letters
     * @param eventIdStore  the window store of applied event ids ({@link EventIdDeduplicator#storeBuilder})
     * @param dedupWindow   how long event ids are remembered
     * @param grace         events older than their aggregate's newest minus this are late; null when the
     *                      processor has no late check (then no {@code late} counter is registered)
     * @param sweepInterval how often the wall-clock sweep runs
     */
    protected EventProcessor(String name, String eventIdStore, Duration dedupWindow, Duration grace,
            Duration sweepInterval) {
        this.name = name;
        this.eventIdStore = eventIdStore;
        this.dedupWindow = dedupWindow;
        this.grace = grace;
        this.sweepInterval = sweepInterval;
    }

    @Override
    public final void init(ProcessorContext<String, O> context) {
        this.context = context;
        this.eventIds = EventIdDeduplicator.open(context, eventIdStore, dedupWindow, name);
        this.late = grace == null ? null : DropCounter.register(context, name, "late");
        this.sizes = StoreSizes.register(context, name, open(context));
        context.schedule(sweepInterval, PunctuationType.WALL_CLOCK_TIME, now -> {
            sweep(now);
            sizes.record();
        });
    }

    /** Opens the processor's own stores and counters; returns the key-value stores whose sizes are reported. */
    protected abstract List<KeyValueStore<?, ?>> open(ProcessorContext<String, O> context);

    /** The processor's wall-clock work (expiry, ejection ends); none by default. */
    protected void sweep(long now) {
    }

    protected final String name() {
        return name;
    }

    /**
     * True, and counted as dropped with reason {@code late}, when the event is more than the grace
     * older than {@code newest}, the newest event time its aggregate has seen (null: nothing yet).
     */
    protected final boolean late(I event, Instant newest) {
        if (newest == null || event.eventTime() >= newest.toEpochMilli() - grace.toMillis()) {
            return false;
        }
        late.record();
        return true;
    }

    /** True the first time the event's id is seen within the dedup window; false for a duplicate (counted). */
    protected final boolean firstTime(I event) {
        return eventIds.firstTime(event.eventId(), event.eventTime());
    }

    /** A dead letter for the record being processed: its source coordinates, key and raw value. */
    protected final DeadLetter deadLetter(Record<String, I> record, DeadLetterReason reason, String description) {
        return DeadLetters.of(context, name, reason, description, null, DeadLetters.utf8(record.key()),
                encode(record.value().value()), record.headers());
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> byte[] encode(T value) {
        return AvroSerde.of((Class<T>) value.getClass()).encode(value);
    }
}
