package io.jettyspeed.processors;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.processors.StreamsRunner.StateSince;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class StreamsHealthTest {

    final Map<String, StateSince> states = new LinkedHashMap<>();
    final Set<String> restoring = new ConcurrentSkipListSet<>();
    final RestoreTracker tracker = new RestoreTracker(restoring);
    final TopicPartition changelog = new TopicPartition("app-user-stats-store-changelog", 3);

    Health readiness() {
        return StreamsHealth.readiness(() -> true, () -> Map.copyOf(states)).health();
    }

    @Test
    void shouldBeReadyOnlyWhenEveryApplicationRunsAndRestoresNothing() {
        // given
        states.put("dedup-index", new StateSince(State.RUNNING, System.nanoTime()));
        states.put("user-stats", new StateSince(State.RUNNING, System.nanoTime()));

        // then
        assertThat(readiness().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void shouldNotBeReadyWhileARunningApplicationRestoresAStore() {
        // given: RUNNING, as Kafka Streams 4.1 says while its state updater restores
        tracker.onRestoreStart(changelog, "user-stats-store", 0, 500);
        states.put("dedup-index", new StateSince(State.RUNNING, System.nanoTime()));
        states.put("user-stats", new StateSince(State.RUNNING, System.nanoTime(), restoring.size()));

        // then
        Health restoringHealth = readiness();
        assertThat(restoringHealth.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(restoringHealth.getDetails().get("reason").toString()).contains("user-stats is restoring 1 store");

        // when the restore ends
        tracker.onRestoreEnd(changelog, "user-stats-store", 500);
        states.put("user-stats", new StateSince(State.RUNNING, System.nanoTime(), restoring.size()));

        // then
        assertThat(readiness().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void shouldForgetARestoreSuspendedBecauseItsTaskMovedAway() {
        // given
        tracker.onRestoreStart(changelog, "user-stats-store", 0, 10);

        // when
        tracker.onRestoreSuspended(changelog, "user-stats-store", 4);

        // then
        assertThat(restoring).isEmpty();
    }

    @Test
    void shouldBeDownWhenAnApplicationFailedEvenIfAnotherRestores() {
        // given
        states.put("dedup-index", new StateSince(State.RUNNING, System.nanoTime(), 2));
        states.put("user-stats", new StateSince(State.ERROR, System.nanoTime()));

        // then
        assertThat(readiness().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void shouldBeOutOfServiceWhileRebalancing() {
        // given
        states.put("dedup-index", new StateSince(State.REBALANCING, System.nanoTime()));

        // then
        assertThat(readiness().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    }
}
