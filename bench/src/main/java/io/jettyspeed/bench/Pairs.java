package io.jettyspeed.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Side-by-side measurements: pair i is A then B (or B then A) measured back to back; the ratio is
 * the median of the per-pair ratios, so drift in the machine's background load cancels out.
 */
public final class Pairs {

    /** One side's rate (events/s) and the CPU it cost (nanoseconds per event). */
    public record Side(double rate, double cpuNanosPerEvent) {
    }

    private final List<Side> a = new ArrayList<>();
    private final List<Side> b = new ArrayList<>();

    public void add(Side sideA, Side sideB) {
        a.add(sideA);
        b.add(sideB);
    }

    public int size() {
        return a.size();
    }

    public double ratio() {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            ratios.add(a.get(i).rate() / b.get(i).rate());
        }
        return median(ratios);
    }

    public double rateA() {
        return median(a.stream().map(Side::rate).toList());
    }

    public double rateB() {
        return median(b.stream().map(Side::rate).toList());
    }

    public double cpuA() {
        return median(a.stream().map(Side::cpuNanosPerEvent).toList());
    }

    public double cpuB() {
        return median(b.stream().map(Side::cpuNanosPerEvent).toList());
    }

    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
