package io.jettyspeed.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CpuMeterTest {

    /** Counters a test sets by hand. */
    static final class FakeSource implements CpuMeter.Source {
        final Map<Long, Long> cpu = new HashMap<>();
        long machineBusy;

        @Override
        public Optional<Long> cpuNanos(long pid) {
            return Optional.ofNullable(cpu.get(pid));
        }

        @Override
        public ProcStat.MachineCpu machine() {
            return new ProcStat.MachineCpu(machineBusy, machineBusy * 4);
        }
    }

    @Test
    void shouldChargeEachProcessItsOwnCpuAndAddProcessesOfTheSameName() {
        // given: gateway (pid 1), broker (2), two postgres backends (3, 4); backend 5 connects mid-window, 4 leaves
        FakeSource source = new FakeSource();
        CpuMeter meter = new CpuMeter(source);
        source.cpu.putAll(Map.of(1L, 1_000L, 2L, 5_000L, 3L, 100L, 4L, 100L));
        source.machineBusy = 10_000;
        CpuMeter.Snapshot start = meter.snapshot(List.of(new CpuMeter.Process("gateway", 1),
                new CpuMeter.Process("broker", 2), new CpuMeter.Process("postgres", 3), new CpuMeter.Process("postgres", 4)));

        // when
        source.cpu.putAll(Map.of(1L, 4_000L, 2L, 6_000L, 3L, 300L, 5L, 50L));
        source.cpu.remove(4L);
        source.machineBusy = 20_000;
        CpuMeter.Snapshot end = meter.snapshot(List.of(new CpuMeter.Process("gateway", 1),
                new CpuMeter.Process("broker", 2), new CpuMeter.Process("postgres", 3), new CpuMeter.Process("postgres", 5)));
        CpuMeter.Usage usage = CpuMeter.between(start, end);

        // then
        assertThat(usage.byProcess()).containsExactly(Map.entry("gateway", 3_000L), Map.entry("broker", 1_000L),
                Map.entry("postgres", 250L));
        assertThat(usage.ourNanos()).isEqualTo(4_250L);
        assertThat(usage.machineBusyNanos()).isEqualTo(10_000L);
    }

    @Test
    void shouldTellOurCoresFromOtherPrograms() {
        // given: in 2 s, ours used 1 core-second and the machine 3
        CpuMeter.Usage usage = new CpuMeter.Usage(Map.of("gateway", 600_000_000L, "broker", 400_000_000L),
                3_000_000_000L, 2.0);

        // then
        assertThat(usage.ourCores()).isCloseTo(0.5, within(1e-9));
        assertThat(usage.foreignCores()).isCloseTo(1.0, within(1e-9));
        assertThat(usage.coresByProcess().get("gateway")).isCloseTo(0.3, within(1e-9));
    }

    @Test
    void shouldNeverReportNegativeForeignLoad() {
        // /proc's counters tick in 10 ms steps, so ours can exceed the machine's by a tick
        CpuMeter.Usage usage = new CpuMeter.Usage(Map.of("gateway", 110L), 100L, 1.0);

        assertThat(usage.foreignCores()).isZero();
    }
}
