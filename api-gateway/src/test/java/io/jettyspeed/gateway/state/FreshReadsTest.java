package io.jettyspeed.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code Prefer: wait=<seconds>} (RFC 7240) as reads understand it. */
class FreshReadsTest {

    @Test
    void shouldReadTheWaitPreferenceAmongOthers() {
        assertThat(FreshReads.preferredWait(List.of("wait=5"))).contains(Duration.ofSeconds(5));
        assertThat(FreshReads.preferredWait(List.of("respond-async, wait=10"))).contains(Duration.ofSeconds(10));
        assertThat(FreshReads.preferredWait(List.of("Wait = \"3\"; foo=bar"))).contains(Duration.ofSeconds(3));
        assertThat(FreshReads.preferredWait(List.of("handling=lenient", "wait=2"))).contains(Duration.ofSeconds(2));
        assertThat(FreshReads.preferredWait(List.of("wait=0"))).contains(Duration.ZERO);
    }

    @Test
    void shouldTakeTheFirstWaitAndIgnoreMalformedOnes() {
        assertThat(FreshReads.preferredWait(List.of("wait=1, wait=9"))).contains(Duration.ofSeconds(1));
        assertThat(FreshReads.preferredWait(List.of("wait=-1"))).isEmpty();
        assertThat(FreshReads.preferredWait(List.of("wait=1.5"))).isEmpty();
        assertThat(FreshReads.preferredWait(List.of("wait"))).isEmpty();
        assertThat(FreshReads.preferredWait(List.of("wait=99999999999999999999"))).isEmpty();
        assertThat(FreshReads.preferredWait(List.of("respond-async"))).isEmpty();
        assertThat(FreshReads.preferredWait(List.of())).isEmpty();
    }

    @Test
    void shouldWriteEachReadsOwnAsOfWhileReadsOfTheSameWatermarkShareTheText() {
        // given: reads of two watermarks, interleaved, and one of none
        Instant first = Instant.parse("2026-11-30T20:00:00.050Z");
        Instant second = Instant.parse("2026-11-30T20:00:00.100Z");

        // then: every read says its own watermark
        assertThat(new FreshReads.Read(Optional.of(first), true).asOfText()).isEqualTo("2026-11-30T20:00:00.050Z");
        assertThat(new FreshReads.Read(Optional.of(first), false).asOfText()).isEqualTo("2026-11-30T20:00:00.050Z");
        assertThat(new FreshReads.Read(Optional.of(second), true).asOfText()).isEqualTo("2026-11-30T20:00:00.100Z");
        assertThat(new FreshReads.Read(Optional.of(first), true).asOfText()).isEqualTo("2026-11-30T20:00:00.050Z");
        assertThat(new FreshReads.Read(Optional.empty(), false).asOfText()).isNull();
    }
}
