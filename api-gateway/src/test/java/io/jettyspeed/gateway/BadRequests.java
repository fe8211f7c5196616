package io.jettyspeed.gateway;

import io.jettyspeed.testing.GatewayHttp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The catalogue of bad requests {@link GatewayRejectionIT} sends, generated systematically: every
 * free-text field of every endpoint × every kind of forbidden text, every numeric field × every kind
 * of number outside its type, every endpoint × every kind of invalid UTF-8, plus hand-written cases
 * for the rules of each endpoint. Each case starts from a valid body ({@link #VALID}, checked to be
 * accepted by {@code GatewayRejectionIT}) and spoils exactly one thing, so the status and the field
 * it names are known.
 */
final class BadRequests {

    static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final String JSON = "application/json";
    private static final String MARK = "@@BAD@@";

    /** One request that must be refused: its name in the test report, what is sent, what must come back. */
    record BadRequest(String name, String method, String path, String contentType, byte[] body, int status,
            List<String> fields) {

        @Override
        public String toString() {
            return name;
        }
    }

    /** A valid body per endpoint variant: the starting point of every generated case. */
    static final Map<String, String> VALID = valid();

    private static Map<String, String> valid() {
        String start = """
                "action":"start","userId":"usr_1","fileName":"video.mp4","fileSize":1048576,"fileHash":"%s",
                "chunkSize":65536,"totalChunks":16,"bytesUploaded":0,"edgeIds":["edge-sfo","direct-storage"],
                "deviceId":"laptop-1","plan":"pro","eventId":"evt-start-1","timestamp":"2025-06-01T10:00:00Z\"""".formatted(HASH);
        String fail = """
                "action":"fail","userId":"usr_1","sessionId":"sess_abc","error":"disk full\\nretry later","fileSize":100,
                "bytesUploaded":10,"eventId":"evt-fail-1\"""";
        String chunk = """
                "sessionId":"sess_abc","chunkIndex":3,"status":"completed","userId":"usr_1","edgeId":"edge-sfo",
                "chunkSize":65536,"durationMs":120,"totalChunks":16,"error":"none","eventId":"evt-chunk-1",
                "timestamp":1748772001000""";
        String dedup = """
                "fileHash":"sha256:%s","userId":"usr_1","fileSize":1048576,"fileName":"video.mp4","eventId":"evt-dup-1",
                "timestamp":"2025-06-01T10:00:00Z\"""".formatted(HASH);
        String edges = """
                "userId":"usr_1","fileSize":1048576,"fileHash":"%s","userLocation":{"lat":37.77,"lng":-122.42},
                "eventId":"evt-edges-1","timestamp":"2025-06-01T10:00:00Z\"""".formatted(HASH);
        String sample = """
                "edgeId":"edge-sfo","latencyMs":12.5,"bandwidthMbps":940,"load":0.25,"errorRate":0.01,
                "activeConnections":17,"eventId":"evt-metric-1","timestamp":"2025-06-01T10:00:00Z\"""";
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("track-upload start", "{" + start + ",\"extra\":{\"notes\":[\"kept\",\"ignored\"]}}");
        bodies.put("track-upload fail", "{" + fail + "}");
        bodies.put("cache-chunk", "{" + chunk + "}");
        bodies.put("check-duplicate", "{" + dedup + "}");
        bodies.put("optimal-edges", "{" + edges + "}");
        bodies.put("edge-metrics", "{\"samples\":[{" + sample + "}]}");
        bodies.put("events", "{\"events\":[{\"type\":\"upload\"," + start.replace("evt-start-1", "evt-b-0")
                + "},{\"type\":\"chunk\"," + chunk.replace("evt-chunk-1", "evt-b-1")
                + "},{\"type\":\"edge-metric\"," + sample.replace("evt-metric-1", "evt-b-2")
                + "},{\"type\":\"dedup-check\"," + dedup.replace("evt-dup-1", "evt-b-3") + "}]}");
        return bodies;
    }

    static String path(String variant) {
        return "/api/jetty/" + variant.split(" ")[0];
    }

    /** Every field a client sends as text, per variant (JSON paths). */
    static final Map<String, List<String>> TEXT_FIELDS = Map.of(
            "track-upload start", List.of("action", "userId", "fileName", "fileHash", "deviceId", "plan", "eventId",
                    "timestamp", "edgeIds[1]", "extra.notes[1]"),
            "track-upload fail", List.of("sessionId", "error"),
            "cache-chunk", List.of("sessionId", "status", "userId", "edgeId", "error", "eventId"),
            "check-duplicate", List.of("fileHash", "userId", "fileName", "eventId", "timestamp"),
            "optimal-edges", List.of("userId", "fileHash", "eventId"),
            "edge-metrics", List.of("samples[0].edgeId", "samples[0].eventId", "samples[0].timestamp"),
            "events", List.of("events[0].type", "events[0].fileName", "events[0].deviceId", "events[1].sessionId",
                    "events[1].error", "events[2].edgeId", "events[3].fileHash", "events[3].fileName"));

    /** Every numeric field, per variant. */
    static final Map<String, List<String>> NUMBER_FIELDS = Map.of(
            "track-upload start", List.of("fileSize", "chunkSize", "totalChunks", "bytesUploaded", "timestamp"),
            "cache-chunk", List.of("chunkIndex", "chunkSize", "durationMs", "totalChunks", "timestamp"),
            "check-duplicate", List.of("fileSize", "timestamp"),
            "optimal-edges", List.of("fileSize", "userLocation.lat", "userLocation.lng", "timestamp"),
            "edge-metrics", List.of("samples[0].latencyMs", "samples[0].bandwidthMbps", "samples[0].load",
                    "samples[0].errorRate", "samples[0].activeConnections", "samples[0].timestamp"),
            "events", List.of("events[0].fileSize", "events[1].chunkIndex", "events[2].errorRate",
                    "events[3].fileSize"));

    /** Kinds of text no field accepts, as JSON string content (escaped unless said raw). */
    static final Map<String, String> BAD_TEXT = ordered(
            "NUL (\\u0000)", "a\\u0000b",
            "start of heading (\\u0001)", "\\u0001",
            "escape (\\u001b)", "red\\u001b[31m",
            "DEL (\\u007f)", "a\\u007f",
            "line feed (\\n)", "two\\nlines",
            "unpaired high surrogate (\\ud800)", "a\\ud800b",
            "unpaired low surrogate (\\udfff)", "\\udfffa",
            "surrogates in the wrong order", "\\udc00\\ud800",
            "raw control byte 0x01 in the JSON text", "a\u0001b");

    /** Kinds of text a multi-line field ({@code error}) still refuses: all of the above but the line feed. */
    static final Map<String, String> BAD_MULTILINE_TEXT = without(BAD_TEXT, "line feed (\\n)");

    /** JSON numbers outside the range of every field's type, as JSON tokens. */
    static final Map<String, String> BAD_NUMBERS = ordered(
            "1e309 (beyond double)", "1e309",
            "-1e400", "-1e400",
            "1.8e308 (just beyond double)", "1.8e308",
            "1e-400 (underflows to zero)", "1e-400",
            "1e999999999 (huge exponent)", "1e999999999",
            "1e9999999999 (exponent beyond int)", "1e9999999999",
            "2^63 (long overflow)", "9223372036854775808",
            "-2^63-1 (long underflow)", "-9223372036854775809",
            "NaN", "NaN",
            "-Infinity", "-Infinity",
            "a 1,001-digit integer", "9".repeat(1001));

    /** Byte sequences that are not UTF-8, put inside a string value. */
    static final Map<String, byte[]> BAD_UTF8 = orderedBytes(
            "overlong NUL (C0 80)", new byte[] {(byte) 0xC0, (byte) 0x80},
            "overlong slash (E0 80 AF)", new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
            "lone continuation byte (80)", new byte[] {(byte) 0x80},
            "truncated sequence (E2 82)", new byte[] {(byte) 0xE2, (byte) 0x82},
            "encoded surrogate (ED A0 80)", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            "beyond U+10FFFF (F4 90 80 80)", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            "byte FF", new byte[] {(byte) 0xFF});

    static List<BadRequest> all() {
        List<BadRequest> cases = new ArrayList<>();
        cases.addAll(textCases());
        cases.addAll(numberCases());
        cases.addAll(utf8Cases());
        cases.addAll(HandWritten.cases());
        return cases;
    }

    static List<BadRequest> textCases() {
        List<BadRequest> cases = new ArrayList<>();
        TEXT_FIELDS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            for (String field : entry.getValue()) {
                boolean multiLine = field.equals("error") || field.endsWith(".error");
                (multiLine ? BAD_MULTILINE_TEXT : BAD_TEXT).forEach((kind, text) -> cases.add(post(
                        "text: " + entry.getKey() + " " + field + " ← " + kind, entry.getKey(),
                        replace(VALID.get(entry.getKey()), field, "\"" + text + "\""), field)));
            }
        });
        // a key (not a value) with a control character, at the top and inside a batch
        cases.add(post("text: check-duplicate key with NUL", "check-duplicate",
                VALID.get("check-duplicate").replace("{\"fileHash\"", "{\"na\\u0000me\":1,\"fileHash\""),
                "na\\u0000me"));
        cases.add(post("text: events key with escape inside events[2]", "events",
                VALID.get("events").replace("{\"type\":\"edge-metric\"", "{\"x\\u001b\":1,\"type\":\"edge-metric\""),
                "events[2].x\\u001b"));
        return cases;
    }

    static List<BadRequest> numberCases() {
        List<BadRequest> cases = new ArrayList<>();
        NUMBER_FIELDS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            for (String field : entry.getValue()) {
                BAD_NUMBERS.forEach((kind, token) -> cases.add(post(
                        "number: " + entry.getKey() + " " + field + " ← " + kind, entry.getKey(),
                        replace(VALID.get(entry.getKey()), field, token), field)));
            }
        });
        return cases;
    }

    static List<BadRequest> utf8Cases() {
        List<BadRequest> cases = new ArrayList<>();
        VALID.forEach((variant, body) -> BAD_UTF8.forEach((kind, bytes) -> {
            int at = body.indexOf("usr_1") >= 0 ? body.indexOf("usr_1") + 2 : body.indexOf("edge-sfo") + 4;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(body.substring(0, at).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(bytes);
            out.writeBytes(body.substring(at).getBytes(StandardCharsets.UTF_8));
            cases.add(new BadRequest("utf-8: " + variant + " ← " + kind, "POST", path(variant), JSON,
                    out.toByteArray(), 400, List.of("body")));
        }));
        for (String variant : List.of("check-duplicate", "events")) {
            cases.add(new BadRequest("utf-8: " + variant + " ← whole body in UTF-16", "POST", path(variant), JSON,
                    VALID.get(variant).getBytes(StandardCharsets.UTF_16), 400, List.of("body")));
        }
        return cases;
    }

    static BadRequest post(String name, String variant, String body, String... fields) {
        return new BadRequest(name, "POST", path(variant), JSON, body.getBytes(StandardCharsets.UTF_8), 400,
                List.of(fields));
    }

    /** The body with the value at a JSON path ({@code a.b[1].c}) replaced by a raw JSON token. */
    static String replace(String body, String path, String token) {
        JsonNode root = GatewayHttp.JSON.readTree(body);
        JsonNode parent = root;
        String[] parts = path.replace("[", ".[").split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parts[i].startsWith("[") ? parent.get(index(parts[i])) : parent.get(parts[i]);
        }
        String last = parts[parts.length - 1];
        if (last.startsWith("[")) {
            ((ArrayNode) parent).set(index(last), MARK);
        } else {
            if (!parent.has(last)) {
                throw new IllegalArgumentException(path + " is not in " + body);
            }
            ((ObjectNode) parent).put(last, MARK);
        }
        String json = GatewayHttp.JSON.writeValueAsString(root);
        if (json.indexOf("\"" + MARK + "\"") != json.lastIndexOf("\"" + MARK + "\"")) {
            throw new IllegalStateException("ambiguous mark");
        }
        return json.replace("\"" + MARK + "\"", token);
    }

    private static int index(String part) {
        return Integer.parseInt(part.substring(1, part.length() - 1));
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static Map<String, byte[]> orderedBytes(Object... pairs) {
        Map<String, byte[]> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (byte[]) pairs[i + 1]);
        }
        return map;
    }

    private static Map<String, String> without(Map<String, String> map, String key) {
        Map<String, String> copy = new LinkedHashMap<>(map);
        copy.remove(key);
        return copy;
    }

    private BadRequests() {
    }
}
