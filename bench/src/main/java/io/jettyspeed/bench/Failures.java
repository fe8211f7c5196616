package io.jettyspeed.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/** Answers that were not 2xx, counted by HTTP status or, for a request that got no answer, by exception. */
public final class Failures {

    private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();

    void status(int status) {
        count(String.valueOf(status));
    }

    void exception(RuntimeException e) {
        count(e.getClass().getSimpleName());
    }

    private void count(String kind) {
        byKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public long total() {
        return byKind.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** E.g. {@code 0} or {@code 39 (429 ×30, UncheckedIOException ×9)}. */
    @Override
    public String toString() {
        if (byKind.isEmpty()) {
            return "0";
        }
        return total() + new TreeMap<>(byKind).entrySet().stream()
                .map(e -> e.getKey() + " ×" + e.getValue().sum())
                .collect(Collectors.joining(", ", " (", ")"));
    }
}
