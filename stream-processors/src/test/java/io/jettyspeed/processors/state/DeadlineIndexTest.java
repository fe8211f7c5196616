package io.jettyspeed.processors.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadlineIndexTest {

    @Test
    void shouldPadDeadlinesExactlyAsTheFormatDid() {
        // keys written before this change used String.format("%019d"): the same deadline must give the same key
        for (long value : new long[] {0, 1, 9, 10, 1_748_779_200_000L, 999_999_999_999_999_999L, Long.MAX_VALUE, -1, -42, Long.MIN_VALUE}) {
            assertThat(DeadlineIndex.padded(value)).as("%d", value).isEqualTo(String.format("%019d", value));
        }
    }
}
