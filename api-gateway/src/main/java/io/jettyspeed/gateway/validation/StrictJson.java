package io.jettyspeed.gateway.validation;

import io.jettyspeed.gateway.problems.FieldError;
import io.jettyspeed.gateway.problems.ProblemException;
import io.jettyspeed.gateway.text.Text;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses request bodies strictly: strict UTF-8, one JSON object, no duplicate keys, nothing after
 * it, and no string anywhere in it (values and keys, at any depth) with a character a client may
 * not send ({@link Text}). Bodies are parsed into a tree (not bound to classes) so that a wrong type
 * in one field does not hide the problems of the others.
 *
 * <p>Numbers: fractions are kept as {@code BigDecimal} (so {@code 1e999999999} is a small object,
 * and the field readers compare it against their bounds without ever expanding it), and the
 * non-standard tokens {@code NaN}, {@code Infinity}, {@code +INF}, {@code -INF} are parsed (as
 * doubles) so that the field that holds them is named in the 400 rather than the whole body.
 * A number the parser cannot represent at all (an exponent beyond ±2³¹, more than 1,000 digits) is
 * a 400 naming the field it was in.
 */
public final class StrictJson {

    /** At most this many offending strings are named in one answer. */
    static final int MAX_TEXT_ERRORS = 20;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private StrictJson() {
    }

    public static JsonNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw body("is required and must be a JSON object");
        }
        // ASCII is strict UTF-8 as it is, and Jackson's byte parser reads it without a decoded copy;
        // any other body is decoded strictly first.
        String text = isAscii(body) ? null : withoutByteOrderMark(decodeUtf8(body));
        JsonNode node;
        JsonParser parser = null;
        try {
            parser = text == null ? MAPPER.createParser(body) : MAPPER.createParser(text);
            node = MAPPER.readTree(parser);
        } catch (JacksonException | NumberFormatException | ArithmeticException e) {
            throw parseFailure(e, parser);
        } finally {
            if (parser != null) {
                parser.close();
            }
        }
        if (node == null || node.isMissingNode()) {
            throw body("is required and must be a JSON object");
        }
        if (!node.isObject()) {
            throw body("must be a JSON object");
        }
        if (mayHoldForbiddenText(body)) {
            List<FieldError> textErrors = textErrors(node);
            if (!textErrors.isEmpty()) {
                throw ProblemException.invalid(textErrors);
            }
        }
        return node;
    }

    /**
     * The body as text, refusing anything that is not strict UTF-8: overlong forms, encoded
     * surrogates, code points above U+10FFFF, stray continuation bytes, truncated sequences.
     */
    static String decodeUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(body.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw body("is not valid UTF-8: invalid byte sequence at byte offset " + in.position());
        }
        result = decoder.flush(out);
        if (result.isError()) {
            throw body("is not valid UTF-8: truncated sequence at the end");
        }
        out.flip();
        return out.toString();
    }

    private static ProblemException parseFailure(RuntimeException e, JsonParser parser) {
        String reason = e instanceof JacksonException je && je.getOriginalMessage() != null
                ? firstLine(je.getOriginalMessage()) : firstLine(String.valueOf(e.getMessage()));
        String field = parser == null ? "" : path(parser.streamReadContext());
        if (!field.isEmpty() && isAboutTheValue(e, reason)) {
            String message = isAboutText(reason)
                    ? "must not contain unescaped control characters (invalid JSON string)"
                    : "must be a number within the range of its type (" + reason + ")";
            return ProblemException.invalid(List.of(new FieldError(field, message)));
        }
        String where = "";
        if (e instanceof JacksonException je && je.getLocation() != null && je.getLocation().getLineNr() > 0) {
            where = " at line " + je.getLocation().getLineNr() + ", column " + je.getLocation().getColumnNr();
        }
        return body("is not valid JSON" + where + ": " + reason);
    }

    /** Whether a parse error is about one value (a number, a token, a string) rather than the document's shape. */
    private static boolean isAboutTheValue(RuntimeException e, String reason) {
        return e instanceof NumberFormatException || e instanceof ArithmeticException
                || reason.contains("umeric value") || reason.startsWith("Number value length")
                || reason.startsWith("Unrecognized token") || isAboutText(reason);
    }

    private static boolean isAboutText(String reason) {
        return reason.contains("CTRL-CHAR");
    }

    /** The field path ({@code events[2].userLocation.lat}) of where a parser stands. */
    static String path(TokenStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (TokenStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.addFirst("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.inObject() && c.currentName() != null) {
                parts.addFirst(Text.escape(c.currentName()));
            }
        }
        StringBuilder path = new StringBuilder();
        for (String part : parts) {
            if (path.length() > 0 && !part.startsWith("[")) {
                path.append('.');
            }
            path.append(part);
        }
        return path.toString();
    }

    /**
     * Whether a parsed string of this body can hold a character {@link Text} forbids. The parser
     * refuses raw control characters inside strings, and strict UTF-8 cannot carry an unpaired
     * surrogate, so such a character gets into a string only through an escape sequence (a
     * backslash) or as a raw DEL. Most bodies have neither, and walking their tree for nothing was
     * a tenth of a batch's CPU.
     */
    static boolean mayHoldForbiddenText(byte[] body) {
        // In UTF-8 the bytes 0x5C and 0x7F stand only for themselves, never inside a longer sequence.
        for (byte b : body) {
            if (b == '\\' || b == 0x7F) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAscii(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static String withoutByteOrderMark(String text) {
        // RFC 8259 lets a parser ignore a byte order mark (in UTF-8 it is not ASCII: such a body is decoded)
        return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
    }

    /** Every string (and key) in the tree with a character a client may not send, by path. */
    static List<FieldError> textErrors(JsonNode root) {
        List<FieldError> errors = new ArrayList<>();
        Deque<Step> todo = new ArrayDeque<>();
        todo.push(new Step(root, null, null, -1, ""));
        while (!todo.isEmpty() && errors.size() < MAX_TEXT_ERRORS) {
            Step step = todo.pop();
            JsonNode node = step.node();
            if (node.isString()) {
                boolean multiLine = Text.MULTI_LINE_FIELDS.contains(step.name());
                int bad = Text.firstForbidden(node.stringValue(), multiLine);
                if (bad >= 0) {
                    String path = step.path();
                    errors.add(new FieldError(path.isEmpty() ? "body" : path, Text.describe(node.stringValue(), bad, multiLine)));
                }
            } else if (node.isObject()) {
                List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
                node.properties().forEach(entries::add);
                for (int i = entries.size() - 1; i >= 0; i--) {
                    String key = entries.get(i).getKey();
                    Step child = new Step(entries.get(i).getValue(), step, key, -1, key);
                    int bad = Text.firstForbidden(key, false);
                    if (bad >= 0) {
                        errors.add(new FieldError(child.path(), "has a name that " + Text.describe(key, bad, false)));
                        continue;
                    }
                    todo.push(child);
                }
            } else if (node.isArray()) {
                for (int i = node.size() - 1; i >= 0; i--) {
                    todo.push(new Step(node.get(i), step, null, i, step.name()));
                }
            }
        }
        return errors;
    }

    /**
     * A node on the way through the tree: its key or index under its parent, and the name of the
     * field it belongs to. Its path is written only for an error (every request walks its tree; a
     * path per node was a tenth of a batch's CPU).
     */
    private record Step(JsonNode node, Step parent, String key, int index, String name) {

        /** Keys escaped and joined by dots, indexes in brackets: {@code samples[3].edgeId}; empty for the root. */
        String path() {
            Deque<Step> chain = new ArrayDeque<>();
            for (Step step = this; step.parent() != null; step = step.parent()) {
                chain.addFirst(step);
            }
            StringBuilder path = new StringBuilder();
            for (Step step : chain) {
                if (step.key() != null) {
                    if (path.length() > 0) {
                        path.append('.');
                    }
                    path.append(Text.escape(step.key()));
                } else {
                    path.append('[').append(step.index()).append(']');
                }
            }
            return path.toString();
        }
    }

    private static ProblemException body(String message) {
        return ProblemException.invalid(List.of(new FieldError("body", message)));
    }

    private static String firstLine(String message) {
        String line = message.lines().findFirst().orElse(message);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
