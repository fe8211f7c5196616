package io.jettyspeed.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void shouldSelectRowsByNumberOrName() {
        assertThat(BenchOptions.rows("1,2,3,4,5,6")).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
        assertThat(BenchOptions.rows("ingest, sink")).containsExactlyInAnyOrder(1, 2, 4);
        assertThat(BenchOptions.rows("processing,read,e2e")).containsExactlyInAnyOrder(3, 5, 6);
        assertThatThrownBy(() -> BenchOptions.rows("7")).hasMessageContaining("no row 7");
    }

    @Test
    void shouldGiveEveryServiceItsOwnHeap() {
        BenchOptions o = BenchOptions.fromSystemProperties();

        assertThat(o.heap("gateway")).isEqualTo("256m");
        assertThat(o.heap("broker")).isEqualTo("768m");
    }
}
