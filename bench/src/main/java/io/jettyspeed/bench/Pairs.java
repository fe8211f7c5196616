package io.jettyspeed.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Side-by-side measurements: pair i is A then B (or B then A) measured back to back; a ratio is
 * the median of the per-pair ratios, so drift in the machine's background load between pairs
 * cancels out instead of landing on whichever side ran during it.
 */
public final class Pairs {

    private final List<Side> a = new ArrayList<>();
    private final List<Side> b = new ArrayList<>();

    public void add(Side sideA, Side sideB) {
        a.add(sideA);
        b.add(sideB);
    }

    public int size() {
        return a.size();
    }

    public List<Side> a() {
        return List.copyOf(a);
    }

    public List<Side> b() {
        return List.copyOf(b);
    }

    /** Median of the per-pair ratios of the rates, A ÷ B. */
    public double ratio() {
        return medianOfRatios(Side::rate);
    }

    /** Median of the per-pair ratios of one process's CPU per event, A ÷ B. */
    public double cpuRatio(String process) {
        return medianOfRatios(side -> side.cpuNanosPerEvent(process));
    }

    public double rateA() {
        return median(a, Side::rate);
    }

    public double rateB() {
        return median(b, Side::rate);
    }

    /** Median over the pairs of all our processes' CPU per event, side A. */
    public double cpuA() {
        return median(a, Side::totalCpuNanosPerEvent);
    }

    public double cpuB() {
        return median(b, Side::totalCpuNanosPerEvent);
    }

    /** Every process name seen on either side, in the order first met. */
    public Set<String> processes() {
        Set<String> names = new LinkedHashSet<>();
        a.forEach(s -> names.addAll(s.cpu().byProcess().keySet()));
        b.forEach(s -> names.addAll(s.cpu().byProcess().keySet()));
        return names;
    }

    private double medianOfRatios(ToDoubleFunction<Side> value) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            ratios.add(value.applyAsDouble(a.get(i)) / value.applyAsDouble(b.get(i)));
        }
        return median(ratios);
    }

    public static double median(List<Side> sides, ToDoubleFunction<Side> value) {
        return median(sides.stream().map(value::applyAsDouble).toList());
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
