package io.jettyspeed.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jettyspeed.gateway.state.Freshness.WaitOutcome;
import io.jettyspeed.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The freshness watermark's chain logic against a make-believe cluster ({@link FakeOffsets}): W of a
 * view never passes an acknowledged event before every hop (processors' groups and the view) went
 * past it, idle partitions hold nothing back, and a stall stops W without piling up probes.
 */
class FreshnessTest {

    static final Topics TOPICS = Topics.of("", 2);
    static final String APP = "app";
    static final String SESSIONS = "app-upload-sessions";
    static final String DEDUP = "app-dedup-index";
    static final String STATS = "app-user-stats";
    static final String DEDUP_REPARTITION = "app-dedup-index-dedup-completions-by-hash-repartition";
    static final String UPLOAD_EVENTS = TOPICS.uploadEvents().name();
    static final String UPLOAD_SESSIONS = TOPICS.uploadSessions().name();
    static final String FILE_INDEX = TOPICS.fileIndex().name();
    static final Duration TICK = Duration.ofMillis(50);

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final WatermarkTracker tracker = new WatermarkTracker(FreshnessChain.of(TOPICS, APP), 8);
    final FakeOffsets kafka = new FakeOffsets(tracker.topics(), 2);
    final Freshness freshness = new Freshness(kafka, tracker, kafka::positions, clock, TICK, Duration.ofSeconds(1), 4);

    @Test
    void shouldAdvanceOneHopPerTickWhileNothingHappens() throws Exception {
        // given an idle pipeline: nothing written anywhere

        // when
        List<Instant> started = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            started.add(tick());
        }

        // then: each view's W is the start of the probe that went through its hops, one hop per tick
        assertThat(freshness.asOf(ViewKind.UPLOAD_SESSIONS)).contains(started.get(3)); // 2 hops
        assertThat(freshness.asOf(ViewKind.EDGE_HEALTH)).contains(started.get(2)); // 3 hops
        assertThat(freshness.asOf(ViewKind.FILE_INDEX)).contains(started.get(1)); // 4 hops
        assertThat(freshness.asOf(ViewKind.USER_STATS)).contains(started.get(0)); // 5 hops
    }

    @Test
    void shouldNotPassAnAcknowledgedCompletionBeforeEveryHopHasProcessedIt() throws Exception {
        // given a pipeline that has been idle for a while
        Instant acked = acknowledgedAfterIdle(1);

        // when the completion goes through the processors hop by hop, then W of the file index stays
        // at or before it until the gateway's view has read the dedup index's output
        ticks(10);
        assertNotPast(acked, ViewKind.FILE_INDEX, ViewKind.UPLOAD_SESSIONS);
        kafka.commitAll(SESSIONS, UPLOAD_EVENTS);
        kafka.append(UPLOAD_SESSIONS, 0);
        ticks(10);
        assertNotPast(acked, ViewKind.FILE_INDEX, ViewKind.UPLOAD_SESSIONS);
        kafka.read(ViewKind.UPLOAD_SESSIONS, UPLOAD_SESSIONS);
        kafka.commitAll(DEDUP, UPLOAD_SESSIONS);
        kafka.append(DEDUP_REPARTITION, 1);
        ticks(10);
        assertThat(freshness.asOf(ViewKind.UPLOAD_SESSIONS)).hasValueSatisfying(w -> assertThat(w).isAfter(acked));
        assertNotPast(acked, ViewKind.FILE_INDEX);
        kafka.commitAll(DEDUP, DEDUP_REPARTITION);
        kafka.append(FILE_INDEX, 0);
        ticks(10);
        assertNotPast(acked, ViewKind.FILE_INDEX);

        // then: once the view has read it, W passes the completion within one hop per tick
        kafka.read(ViewKind.FILE_INDEX, FILE_INDEX);
        ticks(4);
        assertThat(freshness.asOf(ViewKind.FILE_INDEX)).hasValueSatisfying(w -> assertThat(w).isAfter(acked));
        // and user stats, which the stats application has not processed, stay behind
        assertNotPast(acked, ViewKind.USER_STATS);
    }

    @Test
    void shouldTakeTheNextHopsOffsetsOnlyAfterSeeingTheHopDone() throws Exception {
        // given
        Instant acked = acknowledgedAfterIdle(0);

        // when the sessions application commits and writes its output while a tick is in flight,
        // after that tick took its end offsets (so they miss the output) and before it reads commits
        kafka.betweenRequests = () -> {
            kafka.commitAll(SESSIONS, UPLOAD_EVENTS);
            kafka.append(UPLOAD_SESSIONS, 1);
        };
        ticks(20);

        // then: the output is not taken as read by the dedup index (it never commits it) nor by the view
        assertNotPast(acked, ViewKind.FILE_INDEX, ViewKind.UPLOAD_SESSIONS);
    }

    @Test
    void shouldNotBeHeldBackByIdlePartitions() throws Exception {
        // given history in some partitions, all of it processed long ago, and partitions never written to
        kafka.append(UPLOAD_EVENTS, 0);
        kafka.append(UPLOAD_EVENTS, 0);
        kafka.append(UPLOAD_SESSIONS, 0);
        kafka.append(DEDUP_REPARTITION, 1);
        kafka.append(FILE_INDEX, 1);
        kafka.commitAll(SESSIONS, UPLOAD_EVENTS);
        kafka.commitAll(DEDUP, UPLOAD_SESSIONS);
        kafka.commitAll(DEDUP, DEDUP_REPARTITION);
        kafka.read(ViewKind.FILE_INDEX, FILE_INDEX);

        // when
        List<Instant> started = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            started.add(tick());
        }

        // then: W follows the clock, three ticks behind
        assertThat(freshness.asOf(ViewKind.FILE_INDEX)).contains(started.get(6));
    }

    @Test
    void shouldCountAMissingGroupAsNothingProcessedAndAMissingTopicAsEmpty() throws Exception {
        // given events, but no processors ever ran (no groups) and no repartition topic exists yet
        kafka.missingTopics.add(DEDUP_REPARTITION);
        Instant acked = acknowledgedAfterIdle(1);

        // when
        ticks(20);

        // then: the views these events feed stand still; edge health, fed by nothing written, goes on
        assertNotPast(acked, ViewKind.FILE_INDEX, ViewKind.UPLOAD_SESSIONS);
        assertThat(freshness.asOf(ViewKind.EDGE_HEALTH)).hasValueSatisfying(w -> assertThat(w).isAfter(acked));
    }

    @Test
    void shouldStopDuringAStallWithoutPilingUpProbesAndCatchUpRightAfter() throws Exception {
        // given a stalled sessions application
        Instant acked = acknowledgedAfterIdle(0);
        ticks(200);
        assertNotPast(acked, ViewKind.FILE_INDEX);
        assertThat(tracker.probesInFlight(ViewKind.FILE_INDEX)).isLessThanOrEqualTo(8);
        assertThat(freshness.waitingFor(ViewKind.FILE_INDEX)).hasValueSatisfying(wait ->
                assertThat(wait).contains("group " + SESSIONS, UPLOAD_EVENTS + "-0"));

        // when it catches up with everything at once
        kafka.commitAll(SESSIONS, UPLOAD_EVENTS);
        kafka.commitAll(DEDUP, UPLOAD_SESSIONS);
        Instant resumed = tick();
        ticks(3);

        // then: W is at the tick the stall ended, not 200 ticks behind it
        assertThat(freshness.asOf(ViewKind.FILE_INDEX)).contains(resumed);
    }

    @Test
    void shouldKeepTheWatermarkWhenTheClusterDoesNotAnswer() throws Exception {
        // given
        ticks(6);
        var before = freshness.asOf(ViewKind.FILE_INDEX);

        // when
        kafka.failure = new org.apache.kafka.common.errors.TimeoutException("no broker");

        // then
        assertThatThrownBy(freshness::tick).hasRootCauseMessage("no broker");
        clock.advance(Duration.ofSeconds(30));
        assertThat(freshness.asOf(ViewKind.FILE_INDEX)).isEqualTo(before);
    }

    @Test
    void shouldLetAReadWaitUntilTheWatermarkPassesTheQuestion() throws Exception {
        // given
        ticks(6);
        Instant askedAt = clock.instant();

        // when the watermark is behind and the loop goes on in the background
        CompletableFuture<Void> loop = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 8; i++) {
                sleep(20);
                tickQuietly();
            }
        });
        WaitOutcome outcome = freshness.await(Set.of(ViewKind.FILE_INDEX), askedAt,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(5), () -> false);
        loop.get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome).isEqualTo(WaitOutcome.FRESH);
        assertThat(freshness.covers(Set.of(ViewKind.FILE_INDEX), askedAt)).isTrue();
    }

    @Test
    void shouldNotWaitUnaskedPastItsDeadlineOrBeyondTheWaitingLimit() throws Exception {
        // given a watermark that does not move
        ticks(6);
        Instant askedAt = clock.instant();
        Set<ViewKind> index = Set.of(ViewKind.FILE_INDEX);
        Freshness noSlots = new Freshness(kafka, tracker, kafka::positions, clock, TICK, Duration.ofSeconds(1), 0);

        // when / then
        assertThat(freshness.await(index, askedAt, System.nanoTime(), () -> false)).isEqualTo(WaitOutcome.NOT_ASKED);
        assertThat(freshness.await(index, askedAt, System.nanoTime() + 50_000_000L, () -> false))
                .isEqualTo(WaitOutcome.TIMED_OUT);
        assertThat(freshness.await(index, askedAt, System.nanoTime() + 50_000_000L, () -> true))
                .isEqualTo(WaitOutcome.FRESH);
        assertThat(noSlots.await(index, askedAt, System.nanoTime() + 50_000_000L, () -> false))
                .isEqualTo(WaitOutcome.REFUSED);
    }

    private void assertNotPast(Instant acked, ViewKind... views) {
        for (ViewKind view : views) {
            freshness.asOf(view).ifPresent(w -> assertThat(w).as("W of %s", view).isBeforeOrEqualTo(acked));
        }
    }

    /** An upload event acknowledged once the pipeline has been idle for a while; returns the time. */
    private Instant acknowledgedAfterIdle(int partition) throws Exception {
        ticks(6);
        return acknowledge(UPLOAD_EVENTS, partition);
    }

    /** An event acknowledged now; returns the time. */
    private Instant acknowledge(String topic, int partition) {
        Instant acked = clock.instant();
        kafka.append(topic, partition);
        clock.advance(Duration.ofMillis(1));
        return acked;
    }

    private Instant tick() throws Exception {
        Instant started = clock.instant();
        freshness.tick();
        clock.advance(TICK);
        return started;
    }

    private void ticks(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            tick();
        }
    }

    private synchronized void tickQuietly() {
        try {
            tick();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
