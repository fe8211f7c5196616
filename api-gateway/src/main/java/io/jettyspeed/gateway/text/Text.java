package io.jettyspeed.gateway.text;

import java.util.Set;

/**
 * What a client may put in a string (the request readers of {@code validation} and the key tool of
 * {@code security} both apply it): no C0 control characters (U+0000-U+001F), no DEL (U+007F),
 * no unpaired UTF-16 surrogates (JSON lets a client write {@code "\ud800"}, which no UTF-8 encoder
 * or database can store). The fields in {@link #MULTI_LINE_FIELDS} may also hold tab, line feed and
 * carriage return (error messages and stack-like descriptions span lines).
 *
 * <p>Why at the gateway: PostgreSQL refuses NUL in text ({@code invalid byte sequence for encoding
 * "UTF8": 0x00}) and Avro silently replaces a lone surrogate with {@code ?}; a string that got past
 * the gateway would stop or corrupt a stage further down.
 */
public final class Text {

    /** Fields (by their own name, at any depth) that may contain TAB, LF and CR. */
    public static final Set<String> MULTI_LINE_FIELDS = Set.of("error");

    /** The longest identifier. */
    public static final int MAX_ID_LENGTH = 128;

    private Text() {
    }

    /** Whether a text is an identifier: 1 to 128 letters, digits, {@code _ . : @ -}, starting with a letter or digit. */
    public static boolean isId(String text) {
        // By hand rather than a regular expression: every event id of every request passes here.
        if (text == null || text.isEmpty() || text.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean letterOrDigit = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!letterOrDigit && (i == 0 || (c != '_' && c != '.' && c != ':' && c != '@' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    /** The index of the first character a client may not send, or -1 when the text is clean. */
    public static int firstForbidden(String text, boolean multiLine) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20) {
                if (multiLine && (c == '\t' || c == '\n' || c == '\r')) {
                    continue;
                }
                return i;
            }
            if (c == 0x7F) {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** Why the character at {@code index} is refused, for the problem's {@code message}. */
    public static String describe(String text, int index, boolean multiLine) {
        char c = text.charAt(index);
        String code = String.format("U+%04X", (int) c);
        String what = Character.isSurrogate(c) ? "an unpaired surrogate (" + code + ")"
                : "a control character (" + code + ")";
        return "must not contain control characters (U+0000-U+001F, U+007F"
                + (multiLine ? "; tab, line feed and carriage return are allowed" : "")
                + ") or unpaired surrogates; found " + what + " at index " + index;
    }

    /** The text with every forbidden character written as {@code \\uXXXX}, safe to echo in a path or message. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pairedHigh) {
                out.append(c).append(text.charAt(++i));
            } else if (c < 0x20 || c == 0x7F || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
