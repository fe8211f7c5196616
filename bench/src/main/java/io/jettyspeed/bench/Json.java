package io.jettyspeed.bench;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/** A small JSON writer for the report (maps, lists, strings, numbers, booleans, null; NaN becomes null). */
final class Json {

    private Json() {
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
            if (map.isEmpty()) {
                sb.append("{}");
                return;
            }
            String inner = indent + "  ";
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append(inner).append(quote(String.valueOf(e.getKey()))).append(": ");
                write(sb, e.getValue(), inner);
                sb.append(++i < map.size() ? ",\n" : "\n");
            }
            sb.append(indent).append('}');
        } else if (v instanceof Collection<?> list) {
            if (list.isEmpty()) {
                sb.append("[]");
                return;
            }
            String inner = indent + "  ";
            sb.append("[\n");
            int i = 0;
            for (Object o : list) {
                sb.append(inner);
                write(sb, o, inner);
                sb.append(++i < list.size() ? ",\n" : "\n");
            }
            sb.append(indent).append(']');
        } else {
            sb.append(quote(v.toString()));
        }
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
