package io.jettyspeed.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class IdleCheckTest {

    static CpuMeter.Usage usage(double seconds, Map<String, Long> nanos, long machineBusy) {
        return new CpuMeter.Usage(new LinkedHashMap<>(nanos), machineBusy, seconds);
    }

    @Test
    void shouldBeQuietOnlyWithoutLagAndWithOurCpuUnderTheThreshold() {
        // given: 0.5 s samples
        CpuMeter.Usage idle = usage(0.5, Map.of("processors", 20_000_000L, "broker", 10_000_000L), 60_000_000L);
        CpuMeter.Usage busy = usage(0.5, Map.of("processors", 300_000_000L), 300_000_000L);
        List<GroupLag.Lagging> lag = List.of(new GroupLag.Lagging("g", new TopicPartition("t", 0), 1, 2));

        // then: 0.06 cores is quiet at 0.15; 0.6 cores is not; any lag is not
        assertThat(IdleCheck.isQuiet(List.of(), idle, 0.15)).isTrue();
        assertThat(IdleCheck.isQuiet(List.of(), busy, 0.15)).isFalse();
        assertThat(IdleCheck.isQuiet(lag, idle, 0.15)).isFalse();
    }

    @Test
    void shouldDescribeTheCheckWithEveryProcessAndTheRestOfTheMachine() {
        // given: other programs kept 1.5 cores busy meanwhile (a build next door)
        Map<String, Long> cpu = new LinkedHashMap<>();
        cpu.put("processors-eos", 10_000_000L);
        cpu.put("broker", 15_000_000L);
        IdleCheck.Result result = new IdleCheck.Result(true, Duration.ofMillis(1_200), 4, 36, List.of(),
                usage(0.5, cpu, 775_000_000L));

        assertThat(result.describe()).isEqualTo("quiet after 1.2 s: lag 0 on 4 groups / 36 partitions; our CPU 0.05 cores"
                + " (processors-eos 0.02, broker 0.03), other programs 1.50 cores");
    }
}
