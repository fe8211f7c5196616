package io.jettyspeed.gateway;

import static io.jettyspeed.gateway.BadRequests.HASH;
import static io.jettyspeed.gateway.BadRequests.JSON;

import io.jettyspeed.gateway.BadRequests.BadRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The hand-written part of the bad-request catalogue: each endpoint's own rules, one case each. */
final class HandWritten {

    private HandWritten() {
    }

    static List<BadRequest> cases() {
        String start = "\"action\":\"start\",\"userId\":\"usr_1\",\"fileName\":\"a.bin\"";
        String sample = "\"edgeId\":\"edge-sfo\",\"latencyMs\":10,\"bandwidthMbps\":100,\"load\":0.5,\"errorRate\":0.01";
        String location = "\"userId\":\"usr_1\",\"fileSize\":10,\"fileHash\":\"" + HASH + "\"";
        String manyEvents = IntStream.range(0, 501).mapToObj(i -> "{\"type\":\"chunk\"}")
                .collect(Collectors.joining(",", "{\"events\":[", "]}"));
        List<BadRequest> cases = new ArrayList<>(List.of(
                bad("unknown action", "track-upload", "{\"action\":\"pause\",\"userId\":\"usr_1\",\"sessionId\":\"s1\"}", "action"),
                bad("missing action", "track-upload", "{\"userId\":\"usr_1\",\"sessionId\":\"s1\"}", "action"),
                bad("start without file name and size", "track-upload", "{\"action\":\"start\",\"userId\":\"usr_1\"}", "fileName", "fileSize"),
                bad("negative file size", "track-upload", "{" + start + ",\"fileSize\":-1}", "fileSize"),
                bad("file larger than 5 TiB", "track-upload", "{" + start + ",\"fileSize\":5497558138881}", "fileSize"),
                bad("absurd file size beyond long", "track-upload", "{" + start + ",\"fileSize\":1e30}", "fileSize"),
                bad("file size as a string", "track-upload", "{" + start + ",\"fileSize\":\"big\"}", "fileSize"),
                bad("fractional file size", "track-upload", "{" + start + ",\"fileSize\":10.5}", "fileSize"),
                bad("chunk size below 64 KiB", "track-upload", "{" + start + ",\"fileSize\":10,\"chunkSize\":1000}", "chunkSize"),
                bad("chunk size above 1 GiB", "track-upload", "{" + start + ",\"fileSize\":10,\"chunkSize\":2147483648}", "chunkSize"),
                bad("chunks too small for a 5 TiB file (over 100,000 chunks)", "track-upload", "{" + start + ",\"fileSize\":5497558138880,\"chunkSize\":65536}", "chunkSize"),
                bad("more than 100,000 total chunks", "track-upload", "{" + start + ",\"fileSize\":10,\"totalChunks\":100001}", "totalChunks"),
                bad("seed's placeholder hash", "track-upload", "{" + start + ",\"fileSize\":10,\"fileHash\":\"sha256:test123\"}", "fileHash"),
                bad("start naming its own session id", "track-upload", "{" + start + ",\"fileSize\":10,\"sessionId\":\"sess_mine\"}", "sessionId"),
                bad("start in a batch naming its own session id", "events", "{\"events\":[{\"type\":\"upload\"," + start + ",\"fileSize\":10,\"sessionId\":\"sess_x\"}]}", "events[0].sessionId"),
                bad("progress without session", "track-upload", "{\"action\":\"progress\",\"userId\":\"usr_1\",\"bytesUploaded\":5}", "sessionId"),
                bad("total chunks not matching the file", "track-upload", "{" + start + ",\"fileSize\":1048576,\"chunkSize\":65536,\"totalChunks\":3}", "totalChunks"),
                bad("more bytes uploaded than the file has", "track-upload", "{\"action\":\"progress\",\"userId\":\"usr_1\",\"sessionId\":\"s1\",\"fileSize\":10,\"bytesUploaded\":11}", "bytesUploaded"),
                bad("unknown plan", "track-upload", "{" + start + ",\"fileSize\":10,\"plan\":\"gold\"}", "plan"),
                bad("unknown edge in edgeIds", "track-upload", "{" + start + ",\"fileSize\":10,\"edgeIds\":[\"edge-sfo\",\"edge-xyz\"]}", "edgeIds[1]"),
                bad("33 edge ids", "track-upload", "{" + start + ",\"fileSize\":10,\"edgeIds\":[" + "\"edge-sfo\",".repeat(32) + "\"edge-sfo\"]}", "edgeIds"),
                bad("file name over 1,024 characters", "track-upload", "{" + start.replace("a.bin", "a".repeat(1025)) + ",\"fileSize\":10}", "fileName"),
                bad("blank file name", "track-upload", "{" + start.replace("a.bin", "   ") + ",\"fileSize\":10}", "fileName"),
                bad("error message over 2,000 characters", "track-upload", "{\"action\":\"fail\",\"userId\":\"usr_1\",\"sessionId\":\"s1\",\"error\":\"" + "e".repeat(2001) + "\"}", "error"),
                bad("device id with a space", "track-upload", "{" + start + ",\"fileSize\":10,\"deviceId\":\"my phone\"}", "deviceId"),
                bad("user id over 128 characters", "track-upload", "{" + start.replace("usr_1", "u".repeat(129)) + ",\"fileSize\":10}", "userId"),
                bad("timestamp a day ahead", "track-upload", "{" + start + ",\"fileSize\":10,\"timestamp\":\"2999-01-01T00:00:00Z\"}", "timestamp"),
                bad("timestamp not a time", "track-upload", "{" + start + ",\"fileSize\":10,\"timestamp\":\"yesterday\"}", "timestamp"),
                bad("timestamp in epoch seconds", "track-upload", "{" + start + ",\"fileSize\":10,\"timestamp\":1748772001}", "timestamp"),
                bad("timestamp with fractional milliseconds", "track-upload", "{" + start + ",\"fileSize\":10,\"timestamp\":1748772001000.5}", "timestamp"),
                bad("timestamp string of 65 characters", "track-upload", "{" + start + ",\"fileSize\":10,\"timestamp\":\"" + "2".repeat(65) + "\"}", "timestamp"),
                bad("timestamp in year +999999999", "track-upload", "{" + start + ",\"fileSize\":10,\"timestamp\":\"+999999999-12-31T23:59:59Z\"}", "timestamp"),
                bad("timestamp as an object", "track-upload", "{" + start + ",\"fileSize\":10,\"timestamp\":{}}", "timestamp"),
                bad("admin key without userId", "track-upload", "{\"action\":\"start\",\"fileName\":\"a\",\"fileSize\":1}", "userId"),
                bad("eventId with spaces", "track-upload", "{" + start + ",\"fileSize\":10,\"eventId\":\"a b\"}", "eventId"),
                bad("unknown chunk status", "cache-chunk", "{\"sessionId\":\"s1\",\"chunkIndex\":0,\"status\":\"done\"}", "status"),
                bad("status as a number", "cache-chunk", "{\"sessionId\":\"s1\",\"chunkIndex\":0,\"status\":3}", "status"),
                bad("negative chunk index", "cache-chunk", "{\"sessionId\":\"s1\",\"chunkIndex\":-1,\"status\":\"pending\"}", "chunkIndex"),
                bad("chunk index past the file", "cache-chunk", "{\"sessionId\":\"s1\",\"chunkIndex\":10,\"totalChunks\":10,\"status\":\"pending\"}", "chunkIndex"),
                bad("chunk index 100,000 (past any file)", "cache-chunk", "{\"sessionId\":\"s1\",\"chunkIndex\":100000,\"status\":\"pending\"}", "chunkIndex"),
                bad("chunk index 2^31", "cache-chunk", "{\"sessionId\":\"s1\",\"chunkIndex\":2147483648,\"status\":\"pending\"}", "chunkIndex"),
                bad("fractional chunk index", "cache-chunk", "{\"sessionId\":\"s1\",\"chunkIndex\":1.5,\"status\":\"pending\"}", "chunkIndex"),
                bad("chunk index as a boolean", "cache-chunk", "{\"sessionId\":\"s1\",\"chunkIndex\":true,\"status\":\"pending\"}", "chunkIndex"),
                bad("unknown chunk edge", "cache-chunk", "{\"sessionId\":\"s1\",\"chunkIndex\":0,\"status\":\"pending\",\"edgeId\":\"edge-moon\"}", "edgeId"),
                bad("chunk lasting over a day", "cache-chunk", "{\"sessionId\":\"s1\",\"chunkIndex\":0,\"status\":\"completed\",\"durationMs\":86400001}", "durationMs"),
                bad("chunkSize and chunkBytes disagree", "cache-chunk", "{\"sessionId\":\"s1\",\"chunkIndex\":0,\"status\":\"completed\",\"chunkSize\":1,\"chunkBytes\":2}", "chunkSize"),
                bad("chunk without session, index or status", "cache-chunk", "{}", "sessionId", "chunkIndex", "status"),
                bad("missing hash", "check-duplicate", "{\"userId\":\"usr_1\"}", "fileHash"),
                bad("hash one character short", "check-duplicate", "{\"userId\":\"usr_1\",\"fileHash\":\"" + HASH.substring(1) + "\"}", "fileHash"),
                bad("hash with a non-hex character", "check-duplicate", "{\"userId\":\"usr_1\",\"fileHash\":\"" + HASH.substring(1) + "g\"}", "fileHash"),
                bad("md5 instead of sha256", "check-duplicate", "{\"userId\":\"usr_1\",\"fileHash\":\"md5:" + HASH + "\"}", "fileHash"),
                bad("hash as a number", "check-duplicate", "{\"userId\":\"usr_1\",\"fileHash\":12}", "fileHash"),
                bad("hash as an array", "check-duplicate", "{\"userId\":\"usr_1\",\"fileHash\":[\"" + HASH + "\"]}", "fileHash"),
                bad("latitude out of range", "optimal-edges", "{" + location + ",\"userLocation\":{\"lat\":91,\"lng\":0}}", "userLocation.lat"),
                bad("longitude out of range", "optimal-edges", "{" + location + ",\"userLocation\":{\"lat\":0,\"lng\":-180.5}}", "userLocation.lng"),
                bad("missing location", "optimal-edges", "{" + location + "}", "userLocation"),
                bad("location as a string", "optimal-edges", "{" + location + ",\"userLocation\":\"SF\"}", "userLocation"),
                bad("latitude as a string", "optimal-edges", "{" + location + ",\"userLocation\":{\"lat\":\"37\",\"lng\":1}}", "userLocation.lat"),
                bad("location without longitude", "optimal-edges", "{" + location + ",\"userLocation\":{\"lat\":37}}", "userLocation.lng"),
                bad("optimal-edges without file size", "optimal-edges", "{\"userId\":\"usr_1\",\"fileHash\":\"" + HASH + "\",\"userLocation\":{\"lat\":1,\"lng\":1}}", "fileSize"),
                bad("unknown edge in metrics", "edge-metrics", "{\"samples\":[{" + sample.replace("edge-sfo", "edge-xyz") + "}]}", "samples[0].edgeId"),
                bad("direct-storage is not a probed edge", "edge-metrics", "{\"samples\":[{" + sample.replace("edge-sfo", "direct-storage") + "}]}", "samples[0].edgeId"),
                bad("load above 1", "edge-metrics", "{\"samples\":[{" + sample.replace("\"load\":0.5", "\"load\":1.5") + "}]}", "samples[0].load"),
                bad("negative error rate in second sample", "edge-metrics", "{\"samples\":[{" + sample + "},{" + sample.replace("\"errorRate\":0.01", "\"errorRate\":-0.1") + "}]}", "samples[1].errorRate"),
                bad("negative latency", "edge-metrics", "{\"samples\":[{" + sample.replace("\"latencyMs\":10", "\"latencyMs\":-3") + "}]}", "samples[0].latencyMs"),
                bad("latency over ten minutes", "edge-metrics", "{\"samples\":[{" + sample.replace("\"latencyMs\":10", "\"latencyMs\":600001") + "}]}", "samples[0].latencyMs"),
                bad("empty sample batch", "edge-metrics", "{\"samples\":[]}", "samples"),
                bad("samples not an array", "edge-metrics", "{\"samples\":{}}", "samples"),
                bad("sample that is not an object", "edge-metrics", "{\"samples\":[\"edge-sfo\"]}", "samples[0]"),
                bad("empty event batch", "events", "{\"events\":[]}", "events"),
                bad("batch of 501 events", "events", manyEvents, "events"),
                bad("unknown event type", "events", "{\"events\":[{\"type\":\"click\"}]}", "events[0].type"),
                bad("event without type", "events", "{\"events\":[{\"sessionId\":\"s1\"}]}", "events[0].type"),
                bad("one bad event among good ones", "events", "{\"events\":[{\"type\":\"edge-metric\"," + sample + "},"
                        + "{\"type\":\"upload\"," + start + ",\"fileSize\":-5}]}", "events[1].fileSize"),
                bad("event that is not an object", "events", "{\"events\":[42]}", "events[0]"),
                bad("malformed JSON", "check-duplicate", "{\"fileHash\":", "body"),
                bad("JSON array instead of object", "check-duplicate", "[1,2]", "body"),
                bad("JSON string instead of object", "check-duplicate", "\"hello\"", "body"),
                bad("JSON null", "check-duplicate", "null", "body"),
                bad("duplicate key", "check-duplicate", "{\"fileHash\":\"" + HASH + "\",\"fileHash\":\"" + HASH + "\",\"userId\":\"u\"}", "body"),
                bad("trailing garbage", "check-duplicate", "{\"fileHash\":\"" + HASH + "\",\"userId\":\"u\"} x", "body"),
                bad("two JSON objects", "check-duplicate", "{\"fileHash\":\"" + HASH + "\",\"userId\":\"u\"}{}", "body"),
                bad("nesting 600 deep", "check-duplicate", "{\"a\":" + "[".repeat(600) + "]".repeat(600) + "}", "body"),
                bad("single quotes", "check-duplicate", "{'fileHash':'" + HASH + "'}", "body"),
                bad("comment in JSON", "check-duplicate", "{/* hi */\"fileHash\":\"" + HASH + "\"}", "body"),
                bad("empty body", "check-duplicate", "", "body"),
                bad("unrecognised token as a value", "optimal-edges", "{" + location + ",\"userLocation\":{\"lat\":INF,\"lng\":1}}", "userLocation.lat"),
                bad("leading zeros in a number", "cache-chunk", "{\"sessionId\":\"s1\",\"chunkIndex\":007,\"status\":\"pending\"}", "chunkIndex"),
                bad("NaN with a sign", "edge-metrics", "{\"samples\":[{" + sample.replace("\"load\":0.5", "\"load\":-NaN") + "}]}", "samples[0].load")));
        // The GET endpoints: path and query values are validated like body fields.
        cases.add(get("GET session id with a control character", "/api/jetty/sessions/sess%01x", "sessionId"));
        cases.add(get("GET session id with DEL", "/api/jetty/sessions/sess%7Fx", "sessionId"));
        cases.add(get("GET session id of 129 characters", "/api/jetty/sessions/" + "s".repeat(129), "sessionId"));
        cases.add(get("GET session id with a space", "/api/jetty/sessions/sess%20x", "sessionId"));
        cases.add(get("GET resume with NUL in userId", "/api/jetty/sessions?userId=%00&fileHash=" + HASH, "userId"));
        cases.add(get("GET resume with a malformed hash", "/api/jetty/sessions?userId=usr_1&fileHash=abc", "fileHash"));
        cases.add(get("GET resume without hash", "/api/jetty/sessions?userId=usr_1", "fileHash"));
        cases.add(get("GET stats of a user id with a control character", "/api/jetty/users/u%1Bx/stats", "userId"));
        cases.add(get("GET stored file with a malformed hash", "/api/jetty/files/xyz", "fileHash"));
        return cases;
    }

    private static BadRequest bad(String name, String endpoint, String body, String... fields) {
        return new BadRequest(endpoint + ": " + name, "POST", "/api/jetty/" + endpoint, JSON,
                body.getBytes(StandardCharsets.UTF_8), 400, List.of(fields));
    }

    private static BadRequest get(String name, String pathAndQuery, String... fields) {
        return new BadRequest(name, "GET", pathAndQuery, null, null, 400, List.of(fields));
    }
}
