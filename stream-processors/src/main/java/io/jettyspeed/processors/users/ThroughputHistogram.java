package io.jettyspeed.processors.users;

import java.util.ArrayList;
import java.util.List;

/**
 * A bounded log-scale histogram of throughputs: bucket i counts values in
 * [1024 · 2^(i/4), 1024 · 2^((i+1)/4)) bytes per second, 96 buckets (1 KiB/s to 16 GiB/s), so a
 * percentile read from it is within ±9 % of the truth and the state per user stays 96 longs.
 */
public final class ThroughputHistogram {

    public static final int BUCKETS = 96;
    private static final double BASE = 1024;

    private ThroughputHistogram() {
    }

    public static int bucket(double bytesPerSecond) {
        if (!(bytesPerSecond > BASE)) {
            return 0;
        }
        int index = (int) Math.floor(4 * Math.log(bytesPerSecond / BASE) / Math.log(2));
        return Math.min(BUCKETS - 1, Math.max(0, index));
    }

    public static List<Long> add(List<Long> histogram, int bucket, long delta) {
        List<Long> next = new ArrayList<>(histogram);
        while (next.size() < BUCKETS) {
            next.add(0L);
        }
        next.set(bucket, Math.max(0, next.get(bucket) + delta));
        return next;
    }

    /** The q-quantile (0 < q ≤ 1) as the geometric middle of its bucket; null when empty. */
    public static Double percentile(List<Long> histogram, double q) {
        long total = 0;
        for (long count : histogram) {
            total += count;
        }
        if (total == 0) {
            return null;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < histogram.size(); i++) {
            seen += histogram.get(i);
            if (seen >= rank) {
                return Math.round(BASE * Math.pow(2, (i + 0.5) / 4)) * 1d;
            }
        }
        return null;
    }
}
