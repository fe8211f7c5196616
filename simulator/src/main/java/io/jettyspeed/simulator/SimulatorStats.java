package io.jettyspeed.simulator;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/** What the simulator has done so far; printed as one line every few seconds and at the end. */
public final class SimulatorStats {

    public final LongAdder uploadsStarted = new LongAdder();
    public final LongAdder uploadsCompleted = new LongAdder();
    public final LongAdder uploadsFailed = new LongAdder();
    public final LongAdder uploadsResumed = new LongAdder();
    public final LongAdder instantClones = new LongAdder();
    public final LongAdder chunksCompleted = new LongAdder();
    public final LongAdder chunksFailed = new LongAdder();
    public final LongAdder bytesUploaded = new LongAdder();
    public final LongAdder probeBatches = new LongAdder();
    public final LongAdder requests = new LongAdder();
    public final LongAdder retries = new LongAdder();
    public final LongAdder rejected = new LongAdder();
    public final LongAdder unreachable = new LongAdder();

    public String line() {
        return String.format(Locale.ROOT,
                "uploads %d started, %d completed, %d failed, %d resumed, %d instant clones | chunks %d ok, %d failed"
                        + " | %s uploaded | probe batches %d | requests %d (retried %d, rejected %d, unreachable %d)",
                uploadsStarted.sum(), uploadsCompleted.sum(), uploadsFailed.sum(), uploadsResumed.sum(),
                instantClones.sum(), chunksCompleted.sum(), chunksFailed.sum(), bytes(bytesUploaded.sum()),
                probeBatches.sum(), requests.sum(), retries.sum(), rejected.sum(), unreachable.sum());
    }

    static String bytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    }
}
