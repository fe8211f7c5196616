package io.jettyspeed.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
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
}
