package io.jettyspeed.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Random damage to a valid request, for the "never a 5xx" fuzz tests: each mutation is one of a
 * few kinds (drop, insert or flip bytes, splice in a hostile JSON value or number, duplicate a
 * stretch, truncate, nest deeply), one to three of them per input.
 */
final class Mutations {

    private static final List<String> VALUES = List.of("null", "true", "[]", "{}", "\"\"", "\"\\u0000\"",
            "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"" + "x".repeat(5000) + "\"", "[[[[[[[[[[]]]]]]]]]]",
            "{\"a\":{\"b\":{\"c\":[1,{\"d\":null}]}}}", "\"\u0001\"", "\"\u007f\"", "\"edge-sfo\"",
            "\"sha256:" + "0".repeat(64) + "\"", "\"2025-06-01T10:00:00Z\"", "\"+999999999-12-31T23:59:59Z\"");
    private static final List<String> NUMBERS = List.of("1e309", "-1e400", "1.8e308", "1e-400", "1e999999999",
            "-1e999999999", "1e9999999999", "9223372036854775808", "-9223372036854775809", "NaN", "Infinity",
            "-Infinity", "+INF", "-0", "0.0000000000000000000001", "4.9e-324", "1.7976931348623157e308", "-1",
            "2147483648", "100000", "99999", "0", "1.5", "01", "1.", ".5", "1e", "--1", "9".repeat(1200));

    private Mutations() {
    }

    static byte[] mutate(byte[] input, Random random) {
        byte[] out = input;
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            out = once(out, random);
        }
        return out;
    }

    private static byte[] once(byte[] in, Random random) {
        if (in.length == 0) {
            return VALUES.get(random.nextInt(VALUES.size())).getBytes(StandardCharsets.UTF_8);
        }
        int at = random.nextInt(in.length);
        return switch (random.nextInt(9)) {
            case 0 -> splice(in, at, Math.min(in.length, at + 1 + random.nextInt(8)), new byte[0]);
            case 1 -> splice(in, at, at, new byte[] {(byte) random.nextInt(256)});
            case 2 -> {
                byte[] copy = in.clone();
                copy[at] = (byte) (copy[at] ^ (1 << random.nextInt(8)));
                yield copy;
            }
            case 3 -> replaceValue(in, random, VALUES.get(random.nextInt(VALUES.size())));
            case 4 -> replaceValue(in, random, NUMBERS.get(random.nextInt(NUMBERS.size())));
            case 5 -> {
                int end = Math.min(in.length, at + 1 + random.nextInt(40));
                byte[] stretch = java.util.Arrays.copyOfRange(in, at, end);
                yield splice(in, end, end, stretch);
            }
            case 6 -> java.util.Arrays.copyOf(in, at);
            case 7 -> {
                int depth = 1 + random.nextInt(700);
                String open = "[".repeat(depth);
                String close = "]".repeat(depth);
                yield replaceValue(in, random, open + "1" + close);
            }
            default -> splice(in, at, at, new byte[] {(byte) 0xC0, (byte) 0x80});
        };
    }

    /** Replaces the value after a random {@code ":"} with the given JSON text. */
    private static byte[] replaceValue(byte[] in, Random random, String value) {
        String text = new String(in, StandardCharsets.ISO_8859_1);
        int colons = (int) text.chars().filter(c -> c == ':').count();
        if (colons == 0) {
            return in;
        }
        int pick = random.nextInt(colons);
        int colon = -1;
        for (int i = 0; i <= pick; i++) {
            colon = text.indexOf(':', colon + 1);
        }
        int end = colon + 1;
        int depth = 0;
        boolean inString = false;
        while (end < text.length()) {
            char c = text.charAt(end);
            if (inString) {
                if (c == '\\') {
                    end++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                break;
            }
            end++;
        }
        return splice(in, colon + 1, Math.min(end, in.length), value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] splice(byte[] in, int from, int to, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + insert.length);
        out.write(in, 0, from);
        out.writeBytes(insert);
        out.write(in, to, in.length - to);
        return out.toByteArray();
    }
}
