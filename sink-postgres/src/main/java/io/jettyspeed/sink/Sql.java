package io.jettyspeed.sink;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Small conversions shared by the table writers. */
public final class Sql {

    private Sql() {
    }

    public static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    /**
     * The last value per key, in first-seen order: a batch may hold several versions of one
     * aggregate, and one upsert statement must not touch a row twice.
     */
    public static <V> List<V> latestPerKey(List<V> values, Function<V, String> key) {
        Map<String, V> latest = new LinkedHashMap<>();
        values.forEach(value -> latest.put(key.apply(value), value));
        return List.copyOf(latest.values());
    }

    /**
     * The first value per key: for facts inserted once by event id, the first report wins, as it
     * does across batches ({@code ON CONFLICT DO NOTHING}), so batch boundaries never change a row.
     */
    public static <V> List<V> firstPerKey(List<V> values, Function<V, String> key) {
        Map<String, V> first = new LinkedHashMap<>();
        values.forEach(value -> first.putIfAbsent(key.apply(value), value));
        return List.copyOf(first.values());
    }

    public static String[] textArray(List<String> values) {
        return values.toArray(String[]::new);
    }
}
