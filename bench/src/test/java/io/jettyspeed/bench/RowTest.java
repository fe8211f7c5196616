package io.jettyspeed.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowTest {

    @Test
    void shouldTurnTheOrderOfTheSidesRoundEveryPairAndHandThemBackInTheirOrder() throws Exception {
        // given
        List<String> ran = new ArrayList<>();
        List<String> measured = new ArrayList<>();

        // when
        Row.alternate(3, i -> List.<Row.Measurement<String>>of(
                pair -> record(ran, "a" + i + " " + pair), pair -> record(ran, "b" + i + " " + pair),
                pair -> record(ran, "c" + i + " " + pair)),
                (pair, sides) -> measured.add(pair + ": " + String.join(", ", sides)));

        // then
        assertThat(ran).containsExactly("a0 pair 1", "b0 pair 1", "c0 pair 1", "c1 pair 2", "b1 pair 2", "a1 pair 2",
                "a2 pair 3", "b2 pair 3", "c2 pair 3");
        assertThat(measured).containsExactly("1: a0 pair 1, b0 pair 1, c0 pair 1", "2: a1 pair 2, b1 pair 2, c1 pair 2",
                "3: a2 pair 3, b2 pair 3, c2 pair 3");
    }

    private static String record(List<String> ran, String side) {
        ran.add(side);
        return side;
    }
}
