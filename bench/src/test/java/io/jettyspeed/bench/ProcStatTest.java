package io.jettyspeed.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatTest {

    @Test
    void shouldAddUserAndSystemTicksCountingFieldsFromTheLastParenthesis() {
        // given: a command name with a space and a parenthesis, utime 1500 and stime 250 ticks
        String stat = "4242 (java (bench) x) S 1 4242 4242 0 -1 4194560 91234 0 12 0 1500 250 0 0 20 0 57 0 "
                + "123456 5000000000 120000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

        // when
        long nanos = ProcStat.cpuNanosOfStatLine(stat);

        // then: 1,750 ticks of 10 ms
        assertThat(nanos).isEqualTo(17_500_000_000L);
    }

    @Test
    void shouldTellTheJitCompilerThreadsByTheirNames() {
        // given: stat lines of HotSpot's compiler threads (names cut to 15 characters) and of others
        String tail = " S 1 4242 4242 0 -1 4194560 91234 0 12 0 1500 250 0 0 20 0 57 0 123456 5000000000 120000";

        // then
        assertThat(ProcStat.isJitCompilerThread("4250 (C2 CompilerThre)" + tail)).isTrue();
        assertThat(ProcStat.isJitCompilerThread("4251 (C1 CompilerThre)" + tail)).isTrue();
        assertThat(ProcStat.isJitCompilerThread("4252 (http-nio-8080-e)" + tail)).isFalse();
        assertThat(ProcStat.isJitCompilerThread("4253 (VM Thread)" + tail)).isFalse();
    }

    @Test
    void shouldReadTheJitTimeOfThisJvmByThread() {
        // given: this JVM, which has compiled the test framework by now
        long pid = ProcessHandle.current().pid();

        // then: its compiler threads have used some CPU; a process that is gone has none
        assertThat(ProcStat.jitCpuNanosByThread(pid).values().stream().mapToLong(Long::longValue).sum()).isPositive();
        assertThat(ProcStat.jitCpuNanosByThread(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void shouldCountTheJitTimeOfThreadsThatCameOrWent() {
        // given: thread 11 ran on, 12 ended (its time must not count against the others), 13 started
        var before = java.util.Map.of(11L, 1_000L, 12L, 5_000L);
        var after = java.util.Map.of(11L, 1_600L, 13L, 300L);

        // then: 600 + 300
        assertThat(ProcStat.jitNanosBetween(before, after)).isEqualTo(900);
    }

    @Test
    void shouldCountEverythingButIdleAndIowaitAsBusyOnTheMachine() {
        // given: user 100, nice 0, system 50, idle 800, iowait 30, irq 10, softirq 10, steal 0, guest 5, guest_nice 0
        String procStat = "cpu  100 0 50 800 30 10 10 0 5 0\ncpu0 50 0 25 400 15 5 5 0 0 0\nintr 1 2 3\n";

        // when
        ProcStat.MachineCpu cpu = ProcStat.machineOfStatFile(procStat);

        // then: guest time is inside user already, so it is not added again
        assertThat(cpu.busyNanos()).isEqualTo(170 * 10_000_000L);
        assertThat(cpu.totalNanos()).isEqualTo(1000 * 10_000_000L);
    }

    @Test
    void shouldReadThePeakResidentSetSizeInKilobytes() {
        String status = "Name:\tjava\nVmPeak:\t 5000000 kB\nVmHWM:\t  301234 kB\nVmRSS:\t  250000 kB\n";

        assertThat(ProcStat.statusKb(status, "VmHWM:")).isEqualTo(301_234);
        assertThat(ProcStat.statusKb(status, "VmSwap:")).isZero();
    }

    @Test
    void shouldReadThisProcesssOwnCountersFromProc() {
        long pid = ProcessHandle.current().pid();

        assertThat(ProcStat.cpuNanos(pid)).hasValueSatisfying(n -> assertThat(n).isPositive());
        assertThat(ProcStat.peakRssBytes(pid)).isPositive();
        assertThat(ProcStat.machine().totalNanos()).isPositive();
        assertThat(ProcStat.cpuNanos(Long.MAX_VALUE)).isEmpty();
    }
}
