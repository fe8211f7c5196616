package io.jettyspeed.gateway.validation;

import io.jettyspeed.gateway.text.Text;
import io.jettyspeed.schemas.EventLimits;
import io.jettyspeed.schemas.FileHash;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Reads typed fields out of one JSON object, recording every problem in {@link Checks} under the
 * field's JSON path ({@code events[2].userLocation.lat}) instead of stopping at the first. Each
 * reader returns {@code null} when the field is absent or invalid.
 */
public final class FieldReader {

    private static final BigDecimal MAX_DOUBLE = new BigDecimal(Double.MAX_VALUE);
    /** Half the smallest positive double: anything smaller rounds to zero. */
    private static final BigDecimal MIN_DOUBLE = new BigDecimal(Double.MIN_VALUE).divide(BigDecimal.valueOf(2));

    private final JsonNode node;
    private final String path;
    private final Checks checks;

    private FieldReader(JsonNode node, String path, Checks checks) {
        this.node = node;
        this.path = path;
        this.checks = checks;
    }

    public static FieldReader root(JsonNode node, Checks checks) {
        return new FieldReader(node, "", checks);
    }

    public Checks checks() {
        return checks;
    }

    /** The JSON path of this object itself ({@code events[3]}; empty for the body). */
    public String location() {
        return path;
    }

    /** The JSON path of a field of this object. */
    public String path(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    public void invalid(String name, String message) {
        checks.invalid(path(name), message);
    }

    /** The field's raw JSON value, or null when absent or JSON null. */
    public JsonNode raw(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    /** True when the field is present and not JSON null. */
    public boolean has(String name) {
        JsonNode value = node.get(name);
        return value != null && !value.isNull();
    }

    private JsonNode present(String name, boolean required) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                invalid(name, "is required");
            }
            return null;
        }
        return value;
    }

    /** The field's value when present and of the right kind, else null (with "is required" or {@code mustBe} noted). */
    private JsonNode present(String name, boolean required, Predicate<JsonNode> kind, String mustBe) {
        JsonNode value = present(name, required);
        if (value != null && !kind.test(value)) {
            invalid(name, mustBe);
            return null;
        }
        return value;
    }

    public String string(String name, int maxLength, boolean required) {
        JsonNode value = present(name, required, JsonNode::isString, "must be a string");
        if (value == null) {
            return null;
        }
        String text = value.stringValue();
        if (text.isBlank()) {
            invalid(name, "must not be blank");
            return null;
        }
        if (text.length() > maxLength) {
            invalid(name, "must be at most " + maxLength + " characters");
            return null;
        }
        return text;
    }

    /** An identifier: 1 to 128 letters, digits, {@code _ . : @ -}, starting with a letter or digit. */
    public String id(String name, boolean required) {
        String text = string(name, EventLimits.MAX_ID_LENGTH, required);
        if (text != null && !Text.isId(text)) {
            invalid(name, "must be 1-128 letters, digits or _ . : @ - and start with a letter or digit");
            return null;
        }
        return text;
    }

    /**
     * An integer between {@code min} and {@code max}. The value is compared as a {@code BigDecimal}
     * and never converted to a {@code BigInteger} first: {@code 1e999999999} is out of range, not a
     * billion-digit number to compute.
     */
    public Long integer(String name, long min, long max, boolean required) {
        JsonNode value = present(name, required);
        if (value == null) {
            return null;
        }
        BigDecimal exact = value.isNumber() ? exactDecimal(value) : null;
        if (exact == null || !isIntegral(exact)) {
            invalid(name, "must be an integer");
            return null;
        }
        if (exact.compareTo(BigDecimal.valueOf(min)) < 0 || exact.compareTo(BigDecimal.valueOf(max)) > 0) {
            invalid(name, "must be between " + min + " and " + max);
            return null;
        }
        return exact.longValueExact();
    }

    /** A finite number between {@code min} and {@code max} that a {@code double} holds (no overflow, no underflow to 0). */
    public Double number(String name, double min, double max, boolean required) {
        JsonNode value = present(name, required, JsonNode::isNumber, "must be a number");
        if (value == null) {
            return null;
        }
        Double number = finiteDouble(value);
        if (number == null || number < min || number > max) {
            invalid(name, "must be between " + plain(min) + " and " + plain(max));
            return null;
        }
        return number;
    }

    /**
     * The exact value of a JSON number, or null for {@code NaN} and the infinities. Cheap for any
     * input the parser accepts: no conversion expands an exponent.
     */
    public static BigDecimal exactDecimal(JsonNode number) {
        if (number.isBigDecimal()) {
            return number.decimalValue();
        }
        if (number.isBigInteger()) {
            return new BigDecimal(number.bigIntegerValue());
        }
        if (number.isIntegralNumber()) {
            return BigDecimal.valueOf(number.longValue());
        }
        double d = number.doubleValue();
        return Double.isFinite(d) ? new BigDecimal(d) : null;
    }

    /** Whether a decimal is a whole number, without expanding it. */
    public static boolean isIntegral(BigDecimal value) {
        return value.signum() == 0 || value.scale() <= 0 || value.stripTrailingZeros().scale() <= 0;
    }

    /** The value as a finite double, or null when a double cannot hold it (NaN, infinite, beyond ±1.8e308, or a non-zero below 4.9e-324). */
    static Double finiteDouble(JsonNode number) {
        if (number.isDouble() || number.isFloat()) {
            double d = number.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        BigDecimal exact = exactDecimal(number);
        if (exact == null) {
            return null;
        }
        BigDecimal magnitude = exact.abs();
        if (magnitude.compareTo(MAX_DOUBLE) > 0 || (exact.signum() != 0 && magnitude.compareTo(MIN_DOUBLE) < 0)) {
            return null;
        }
        double d = exact.doubleValue();
        return Double.isFinite(d) && (d != 0 || exact.signum() == 0) ? d : null;
    }

    /** One of the given lower-case words (matched case-insensitively). */
    public <E> E oneOf(String name, Map<String, E> allowed, boolean required) {
        JsonNode value = present(name, required);
        if (value == null) {
            return null;
        }
        E match = value.isString() ? allowed.get(value.stringValue().toLowerCase(Locale.ROOT)) : null;
        if (match == null) {
            invalid(name, "must be one of " + String.join(", ", allowed.keySet()));
        }
        return match;
    }

    /** A SHA-256 hash, normalised to 64 lower-case hex characters. */
    public String fileHash(String name, boolean required) {
        String text = string(name, 200, required);
        if (text == null) {
            return null;
        }
        return FileHash.normalise(text).orElseGet(() -> {
            invalid(name, "must be a SHA-256 hash: 64 hex characters, optionally prefixed with sha256:");
            return null;
        });
    }

    public FieldReader object(String name, boolean required) {
        JsonNode value = present(name, required, JsonNode::isObject, "must be a JSON object");
        return value == null ? null : new FieldReader(value, path(name), checks);
    }

    /** An array of objects with between {@code min} and {@code max} elements; one reader each. */
    public List<FieldReader> objects(String name, int min, int max) {
        JsonNode value = present(name, true, JsonNode::isArray, "must be a JSON array");
        if (value == null) {
            return List.of();
        }
        if (value.size() < min) {
            invalid(name, min == 1 ? "must not be empty" : "must have at least " + min + " elements");
            return List.of();
        }
        if (value.size() > max) {
            invalid(name, "must have at most " + max + " elements, had " + value.size());
            return List.of();
        }
        List<FieldReader> readers = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            String elementPath = path(name) + "[" + i + "]";
            if (element.isObject()) {
                readers.add(new FieldReader(element, elementPath, checks));
            } else {
                checks.invalid(elementPath, "must be a JSON object");
            }
        }
        return readers;
    }

    /** An array of identifiers, each accepted by {@code valid}. */
    public List<String> ids(String name, int maxItems, Predicate<String> valid, String invalidMessage) {
        JsonNode value = present(name, false, JsonNode::isArray, "must be a JSON array of strings");
        if (value == null) {
            return List.of();
        }
        if (value.size() > maxItems) {
            invalid(name, "must have at most " + maxItems + " elements");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            String elementPath = path(name) + "[" + i + "]";
            if (!element.isString()) {
                checks.invalid(elementPath, "must be a string");
            } else if (!valid.test(element.stringValue())) {
                checks.invalid(elementPath, invalidMessage);
            } else {
                out.add(element.stringValue());
            }
        }
        return out;
    }

    /** Fields this reader has, for messages that list them. */
    public String fieldNames() {
        return node.propertyNames().stream().collect(Collectors.joining(", "));
    }

    private static String plain(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
