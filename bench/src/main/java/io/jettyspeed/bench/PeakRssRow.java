package io.jettyspeed.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Row 7: peak resident set size of each service under the benchmark. Every service JVM is started
 * with only {@code -Xmx} of {@code bench.heap.<service>} (nothing inherited from the benchmark
 * JVM), and each row starts its own; when a stage closes, each of its JVMs' {@code VmHWM} (the
 * kernel's high-water mark of its resident memory) is recorded. A service's line is the highest
 * over the rows it ran in, naming that row (target ≤ 300 MB). The broker and the benchmark JVM
 * (load generators and raw clients) follow for reference.
 *
 * <p>Not a {@link Row}: it has no stage of its own, and runs after the others, from what their
 * stages recorded.
 */
public final class PeakRssRow {

    public void run(Lab lab, Report report) {
        for (String service : List.of("gateway", "processors", "sink")) {
            Optional<Lab.Peak> peak = lab.peaks().stream().filter(p -> p.service().equals(service))
                    .max(Comparator.comparingLong(Lab.Peak::bytes));
            peak.ifPresent(p -> report.memory("7", "peak RSS " + service, p.bytes(), Report.Target.atMost(300),
                    "VmHWM, -Xmx" + p.heap() + ", highest in stage " + p.stage() + " (" + p.name() + ")"));
        }
        report.memory("7", "peak RSS broker (for reference)", lab.brokerPeakRssBytes(), Report.Target.none(),
                "VmHWM, -Xmx" + lab.options().heap("broker"));
        report.memory("7", "peak RSS benchmark JVM: load generators and raw clients (for reference)",
                ProcStat.peakRssBytes(ProcessHandle.current().pid()), Report.Target.none(), "VmHWM");
    }
}
