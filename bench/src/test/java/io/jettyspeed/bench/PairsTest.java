package io.jettyspeed.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairsTest {

    @Test
    void shouldReportTheMedianOfThePerPairRatiosNotTheRatioOfMedians() {
        // given: the machine got slower between pairs; each pair still shows A at half of B
        Pairs pairs = new Pairs();
        pairs.add(new Pairs.Side(100, 10), new Pairs.Side(200, 5));
        pairs.add(new Pairs.Side(40, 10), new Pairs.Side(80, 5));
        pairs.add(new Pairs.Side(90, 12), new Pairs.Side(100, 5));

        // when / then
        assertThat(pairs.ratio()).isCloseTo(0.5, within(1e-9));
        assertThat(pairs.rateA()).isEqualTo(90);
        assertThat(pairs.cpuB()).isEqualTo(5);
    }

    @Test
    void shouldTakeTheMiddleOfAnEvenNumberOfValues() {
        assertThat(Pairs.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }
}
