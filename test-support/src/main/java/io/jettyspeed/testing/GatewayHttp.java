package io.jettyspeed.testing;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the integration tests: real sockets, real headers, chunked bodies. */
public final class GatewayHttp {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public GatewayHttp(int port) {
        this.base = "http://localhost:" + port;
    }

    public Response post(String path, String key, String json) {
        return post(path, key, "application/json", json);
    }

    public Response post(String path, String key, String contentType, String body) {
        HttpRequest.Builder request = request(path, key).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build());
    }

    /** A JSON POST with further headers (e.g. {@code Prefer: wait=5}). */
    public Response post(String path, String key, String json, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = request(path, key).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        return send(request.build());
    }

    /** A GET with further headers (e.g. {@code Prefer: wait=5}). */
    public Response get(String path, String key, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = request(path, key).GET();
        headers.forEach(request::header);
        return send(request.build());
    }

    /** A POST whose body is exactly these bytes (for bodies that are not valid UTF-8). */
    public Response post(String path, String key, String contentType, byte[] body) {
        HttpRequest.Builder request = request(path, key).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build());
    }

    /** POST without Content-Length: the body is sent with chunked transfer encoding. */
    public Response postChunked(String path, String key, byte[] body) {
        return send(request(path, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
    }

    public Response get(String path, String key) {
        return send(request(path, key).GET().build());
    }

    public Response method(String method, String path, String key) {
        return send(request(path, key).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request,
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response);
        } catch (Exception e) {
            throw new IllegalStateException("request failed: " + request, e);
        }
    }

    /** A response with its body parsed as JSON when it is JSON. */
    public record Response(HttpResponse<String> raw) {

        public int status() {
            return raw.statusCode();
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        public JsonNode json() {
            return JSON.readTree(raw.body());
        }

        /** The {@code field} of every entry of a problem's {@code errors}. */
        public java.util.List<String> errorFields() {
            return json().get("errors").valueStream().map(e -> e.get("field").asString()).toList();
        }

        @Override
        public String toString() {
            return raw.statusCode() + " " + raw.body();
        }
    }
}
