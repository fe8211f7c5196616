package io.jettyspeed.processors.skeleton;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.processors.MemoryTempDirs;
import io.jettyspeed.processors.TestDrivers;
import io.jettyspeed.processors.errors.EventIdDeduplicator;
import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterReason;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The skeleton as a fifth topology would use it: a processor that counts completed chunks per
 * session, written as nothing but its own logic. The skeleton drops duplicates and late events
 * (counted), builds dead letters with their coordinates, and runs the sweep on the wall clock.
 */
class EventProcessorTest {

    static final String NAME = "chunk-counter";
    static final String COUNTS = "chunk-counts";
    static final String EVENT_IDS = "chunk-counter-event-ids";
    static final Duration GRACE = Duration.ofMinutes(10);
    static final Duration SWEEP = Duration.ofMinutes(1);
    static final Instant START = TestDrivers.START;

    @TempDir(factory = MemoryTempDirs.class)
    Path stateDir;

    /** The fifth topology's input type: one kind here; a processor with more declares a sealed interface. */
    record ChunkSeen(ChunkEvent value, String eventId, long eventTime) implements InputEvent {
        ChunkSeen(ChunkEvent chunk) {
            this(chunk, chunk.getEventId(), chunk.getEventTime().toEpochMilli());
        }
    }

    /** Counts completed chunks per session; dead-letters a chunk that names no edge; remembers its sweeps. */
    static final class ChunkCounter extends EventProcessor<ChunkSeen, DeadLetter> {
        static final List<Long> SWEEPS = new java.util.concurrent.CopyOnWriteArrayList<>();
        private KeyValueStore<String, Long> counts;
        private KeyValueStore<String, Long> newest;

        ChunkCounter() {
            super(NAME, EVENT_IDS, Duration.ofHours(1), GRACE, SWEEP);
        }

        @Override
        protected List<KeyValueStore<?, ?>> open(ProcessorContext<String, DeadLetter> context) {
            counts = context.getStateStore(COUNTS);
            newest = context.getStateStore(COUNTS + "-newest");
            return List.of(counts, newest);
        }

        @Override
        public void process(Record<String, ChunkSeen> record) {
            Long newestTime = newest.get(record.key());
            if (late(record.value(), newestTime == null ? null : Instant.ofEpochMilli(newestTime))
                    || !firstTime(record.value())) {
                return;
            }
            if (record.value().value().getEdgeId() == null) {
                context.forward(record.withValue(deadLetter(record, DeadLetterReason.INVARIANT_VIOLATION, "no edge")));
                return;
            }
            Long count = counts.get(record.key());
            counts.put(record.key(), count == null ? 1 : count + 1);
            newest.put(record.key(), Math.max(newestTime == null ? 0 : newestTime, record.value().eventTime()));
        }

        @Override
        protected void sweep(long now) {
            SWEEPS.add(now);
        }
    }

    static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COUNTS), Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COUNTS + "-newest"),
                Serdes.String(), Serdes.Long()));
        builder.addStateStore(EventIdDeduplicator.storeBuilder(EVENT_IDS, Duration.ofHours(1)));
        builder.stream("chunks", Consumed.with(Serdes.String(), AvroSerde.of(ChunkEvent.class)))
                .mapValues(ChunkSeen::new, Named.as("chunk-seen"))
                .process(ChunkCounter::new, Named.as(NAME), COUNTS, COUNTS + "-newest", EVENT_IDS)
                .to("letters", Produced.with(Serdes.String(), AvroSerde.of(DeadLetter.class)));
        return builder.build();
    }

    private TopologyTestDriver driver;
    private TestInputTopic<String, ChunkEvent> chunks;
    private KeyValueStore<String, Long> counts;

    @BeforeEach
    void setUp() {
        ChunkCounter.SWEEPS.clear();
        driver = TestDrivers.driver(topology(), stateDir);
        chunks = driver.createInputTopic("chunks", Serdes.String().serializer(), AvroSerde.of(ChunkEvent.class));
        counts = driver.getKeyValueStore(COUNTS);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldApplyAnEventIdOnceAndCountTheDuplicate() {
        // given
        ChunkEvent chunk = chunk("e-1", START, "edge-fra");

        // when
        chunks.pipeInput("s-1", chunk);
        chunks.pipeInput("s-1", chunk);
        chunks.pipeInput("s-1", chunk("e-2", START, "edge-fra"));

        // then
        assertThat(counts.get("s-1")).isEqualTo(2L);
        assertThat(TestDrivers.dropped(driver, NAME, "duplicate")).isEqualTo(1.0);
    }

    @Test
    void shouldDropAndCountAnEventOlderThanTheNewestMinusTheGrace() {
        // given
        chunks.pipeInput("s-1", chunk("e-1", START, "edge-fra"));

        // when: one just within the grace, one just beyond it
        chunks.pipeInput("s-1", chunk("e-2", START.minus(GRACE), "edge-fra"));
        chunks.pipeInput("s-1", chunk("e-3", START.minus(GRACE).minusMillis(1), "edge-fra"));

        // then
        assertThat(counts.get("s-1")).isEqualTo(2L);
        assertThat(TestDrivers.dropped(driver, NAME, "late")).isEqualTo(1.0);
    }

    @Test
    void shouldBuildADeadLetterWithTheSourceCoordinatesAndTheRawRecord() {
        // given
        var letters = driver.createOutputTopic("letters", Serdes.String().deserializer(), AvroSerde.of(DeadLetter.class));
        ChunkEvent noEdge = chunk("e-2", START, null);

        // when
        chunks.pipeInput("s-1", chunk("e-1", START, "edge-fra"));
        chunks.pipeInput("s-1", noEdge);

        // then
        DeadLetter letter = letters.readValue();
        assertThat(letter.getReason()).isEqualTo(DeadLetterReason.INVARIANT_VIOLATION);
        assertThat(letter.getDescription()).isEqualTo("no edge");
        assertThat(letter.getProcessor()).isEqualTo(NAME);
        assertThat(letter.getSourceTopic()).isEqualTo("chunks");
        assertThat(letter.getSourceOffset()).isEqualTo(1L);
        assertThat(new String(bytes(letter.getKey()))).isEqualTo("s-1");
        assertThat(AvroSerde.of(ChunkEvent.class).decode(bytes(letter.getValue()))).isEqualTo(noEdge);
        assertThat(letters.isEmpty()).isTrue();
    }

    @Test
    void shouldRunTheSweepOnTheWallClockAndReportTheStoreSizes() {
        // given
        chunks.pipeInput("s-1", chunk("e-1", START, "edge-fra"));
        chunks.pipeInput("s-2", chunk("e-2", START, "edge-fra"));

        // when
        driver.advanceWallClockTime(SWEEP);

        // then
        assertThat(ChunkCounter.SWEEPS).containsExactly(START.plus(SWEEP).toEpochMilli());
        assertThat(TestDrivers.metric(driver, "store-entries", NAME, Map.of("store", COUNTS))).isEqualTo(2.0);
    }

    static ChunkEvent chunk(String eventId, Instant at, String edgeId) {
        return ChunkEvent.newBuilder().setEventId(eventId).setEventTime(at).setReceivedAt(at).setSessionId("s-1")
                .setChunkIndex(0).setStatus(ChunkStatus.COMPLETED).setEdgeId(edgeId).build();
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
