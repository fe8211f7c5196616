package io.jettyspeed.processors.edges;

import static io.jettyspeed.processors.TestDrivers.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.EdgeState;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

/**
 * The edge-health processor starting on stores that already hold edges, as after a crash, a restart
 * or a task move (a TopologyTestDriver wipes its state when it closes, so it cannot show a restart).
 */
class EdgeHealthProcessorTest {

    private final EdgeHealthConfig config = EdgeHealthConfig.defaults();
    private final MockProcessorContext<String, EdgeHealth> context = new MockProcessorContext<>();
    private final KeyValueStore<String, EdgeHealth> healthStore = Stores
            .keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.EDGE_HEALTH), Serdes.String(),
                    AvroSerde.of(EdgeHealth.class))
            .withLoggingDisabled()
            .build();
    private final WindowStore<String, Long> eventIds = Stores
            .windowStoreBuilder(Stores.inMemoryWindowStore(StoreNames.EDGE_EVENT_IDS, config.dedupWindow(),
                    config.dedupWindow(), false), Serdes.String(), Serdes.Long())
            .withLoggingDisabled()
            .build();

    @Test
    void shouldEmitEveryStoredEdgeOnceAtTheFirstIntervalAfterItStarts() {
        // given: stores restored with two edges whose last changes may not have been emitted before the stop
        openStores();
        EdgeHealth fra = health("edge-fra", EdgeState.HEALTHY);
        EdgeHealth ams = health("edge-ams", EdgeState.EJECTED);
        healthStore.put("edge-fra", fra);
        healthStore.put("edge-ams", ams);

        // when
        new EdgeHealthProcessor(config).init(context);
        CapturedPunctuator emit = emitPunctuator();
        emit.getPunctuator().punctuate(START.plus(config.emitInterval()).toEpochMilli());
        List<EdgeHealth> first = forwarded();
        emit.getPunctuator().punctuate(START.plus(config.emitInterval().multipliedBy(2)).toEpochMilli());

        // then: each stored edge once, as stored, and nothing more while nothing changes
        assertThat(first).containsExactlyInAnyOrder(fra, ams);
        assertThat(forwarded()).isEmpty();
    }

    @Test
    void shouldEmitNothingWhenItStartsOnAnEmptyStore() {
        // given
        openStores();

        // when
        new EdgeHealthProcessor(config).init(context);
        emitPunctuator().getPunctuator().punctuate(START.plus(config.emitInterval()).toEpochMilli());

        // then
        assertThat(forwarded()).isEmpty();
    }

    private void openStores() {
        context.setCurrentSystemTimeMs(START.toEpochMilli());
        healthStore.init(context.getStateStoreContext(), healthStore);
        // looked up only: no record is processed here (an in-memory window store cannot open on a mock context)
        context.addStateStore(healthStore);
        context.addStateStore(eventIds);
    }

    private CapturedPunctuator emitPunctuator() {
        return context.scheduledPunctuators().stream()
                .filter(p -> p.getType() == PunctuationType.WALL_CLOCK_TIME)
                .filter(p -> p.getInterval().equals(config.emitInterval()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no wall-clock punctuator every " + config.emitInterval()));
    }

    /** What was forwarded since the last call. */
    private List<EdgeHealth> forwarded() {
        List<EdgeHealth> values = context.forwarded().stream().map(CapturedForward::record)
                .<EdgeHealth>map(record -> record.value()).toList();
        context.resetForwards();
        return values;
    }

    private static EdgeHealth health(String edgeId, EdgeState state) {
        return EdgeHealth.newBuilder().setEdgeId(edgeId).setRegion("eu").setState(state).setScore(0.5)
                .setConsecutiveFailures(0).setTimesEjected(state == EdgeState.EJECTED ? 1 : 0)
                .setEjectedUntil(state == EdgeState.EJECTED ? START.plus(Duration.ofSeconds(30)) : null)
                .setLastSeenAt(START).setUpdatedAt(START).setProbeSamples(3).setChunkSuccesses(0).setChunkFailures(0)
                .setReasons(List.of()).build();
    }
}
