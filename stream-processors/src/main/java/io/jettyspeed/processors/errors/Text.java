package io.jettyspeed.processors.errors;

/** Client text made safe to put into a description or a log line: bounded, control characters escaped. */
public final class Text {

    /** Most characters of one client value quoted in a description. */
    public static final int QUOTED_CHARS = 64;

    private Text() {
    }

    /** {@code value} in quotes, at most {@link #QUOTED_CHARS} characters of it, control characters as {@code \\uXXXX}. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), QUOTED_CHARS) + 16).append('"');
        int shown = Math.min(value.length(), QUOTED_CHARS);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
        if (value.length() > shown) {
            out.append("… (").append(value.length()).append(" characters)");
        }
        return out.toString();
    }

    /** {@code text} cut to at most {@code max} characters, saying so. */
    public static String truncate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        String note = "… (truncated from " + text.length() + " characters)";
        return text.substring(0, Math.max(0, max - note.length())) + note;
    }

    /** Index of the first C0 control character (U+0000 to U+001F) other than the allowed ones, or -1. */
    public static int firstControlCharacter(String value, boolean allowLineBreaks) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && !(allowLineBreaks && (c == '\t' || c == '\n' || c == '\r'))) {
                return i;
            }
        }
        return -1;
    }
}
