package io.jettyspeed.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairsTest {

    /** A side of {@code events} in one second, with CPU nanoseconds per process. */
    static Side side(String label, long events, Map<String, Long> cpuNanos) {
        return new Side(label, events, 1.0, new CpuMeter.Usage(new LinkedHashMap<>(cpuNanos), 0, 1.0));
    }

    @Test
    void shouldReportTheMedianOfThePerPairRatiosNotTheRatioOfMedians() {
        // given: the machine got slower between pairs; each pair still shows A at half of B
        Pairs pairs = new Pairs();
        pairs.add(side("a", 100, Map.of("x", 1_000L)), side("b", 200, Map.of("x", 1_000L)));
        pairs.add(side("a", 40, Map.of("x", 400L)), side("b", 80, Map.of("x", 400L)));
        pairs.add(side("a", 90, Map.of("x", 1_080L)), side("b", 100, Map.of("x", 500L)));

        // when / then
        assertThat(pairs.ratio()).isCloseTo(0.5, within(1e-9));
        assertThat(pairs.rateA()).isEqualTo(90);
        assertThat(pairs.cpuB()).isEqualTo(5);
    }

    @Test
    void shouldTakeTheMedianOfThePerPairRatiosOfOneProcesssCpuPerEvent() {
        // given: the gateway spends 3x as much per event on side A in two pairs out of three
        Pairs pairs = new Pairs();
        pairs.add(side("post", 100, Map.of("gateway", 30_000L, "broker", 5_000L)), side("empty", 100, Map.of("gateway", 10_000L)));
        pairs.add(side("post", 100, Map.of("gateway", 60_000L, "broker", 5_000L)), side("empty", 100, Map.of("gateway", 20_000L)));
        pairs.add(side("post", 100, Map.of("gateway", 10_000L, "broker", 5_000L)), side("empty", 100, Map.of("gateway", 10_000L)));

        // when / then
        assertThat(pairs.cpuRatio("gateway")).isCloseTo(3.0, within(1e-9));
        assertThat(pairs.cpuA()).isEqualTo(350);
        assertThat(pairs.processes()).containsExactlyInAnyOrder("gateway", "broker");
    }

    @Test
    void shouldTakeTheMiddleOfAnEvenNumberOfValues() {
        assertThat(Pairs.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Pairs.median(List.of())).isNaN();
    }
}
