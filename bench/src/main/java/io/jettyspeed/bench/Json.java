package io.jettyspeed.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/** A small JSON writer for the report (maps, lists, strings, numbers, booleans, null; NaN becomes null). */
final class Json {

    private Json() {
    }

    /** A JSON object: names and values given in turn, the fields kept in that order. */
    static Map<String, Object> object(Object... namesAndValues) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            object.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return object;
    }

    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, "");
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, String indent) {
        if (v == null || (v instanceof Double d && (d.isNaN() || d.isInfinite()))) {
            sb.append("null");
        } else if (v instanceof Double || v instanceof Float) {
            sb.append(String.format(Locale.ROOT, "%.4f", ((Number) v).doubleValue()));
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> map) {
            writeAll(sb, map.entrySet(), '{', '}', indent, (e, inner) -> {
                sb.append(quote(String.valueOf(e.getKey()))).append(": ");
                write(sb, e.getValue(), inner);
            });
        } else if (v instanceof Collection<?> list) {
            writeAll(sb, list, '[', ']', indent, (o, inner) -> write(sb, o, inner));
        } else {
            sb.append(quote(v.toString()));
        }
    }

    /** An object's entries or an array's elements, one a line, indented one step more than {@code indent}. */
    private static <T> void writeAll(StringBuilder sb, Collection<T> items, char open, char close, String indent,
            BiConsumer<T, String> item) {
        if (items.isEmpty()) {
            sb.append(open).append(close);
            return;
        }
        String inner = indent + "  ";
        sb.append(open).append('\n');
        int i = 0;
        for (T t : items) {
            sb.append(inner);
            item.accept(t, inner);
            sb.append(++i < items.size() ? ",\n" : "\n");
        }
        sb.append(indent).append(close);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
