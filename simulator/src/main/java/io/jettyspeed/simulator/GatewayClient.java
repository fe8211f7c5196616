package io.jettyspeed.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulator's only way out: JSON over HTTP to the gateway, with the API key. A 429 or 503 is
 * retried after its {@code Retry-After} (the events carry ids, so a retry counts once); a lost
 * connection is retried a few times; anything else is returned to the caller.
 */
public final class GatewayClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ATTEMPTS = 5;

    /** A response: status and JSON body (a missing node when the body is not JSON). */
    public record Reply(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient http;
    private final URI base;
    private final String authorization;
    private final SimulatorStats stats;
    private final Consumer<String> log;

    public GatewayClient(URI base, String apiKey, SimulatorStats stats, Consumer<String> log) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.base = base;
        this.authorization = "Bearer " + apiKey;
        this.stats = stats;
        this.log = log;
    }

    public Reply post(String path, Object body) {
        byte[] json = JSON.writeValueAsBytes(body);
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)), path);
    }

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), path);
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private Reply send(HttpRequest.Builder builder, String path) {
        HttpRequest request = builder.header("Authorization", authorization).header("Accept", "application/json")
                .timeout(Duration.ofSeconds(15)).build();
        for (int attempt = 1; ; attempt++) {
            try {
                stats.requests.increment();
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if ((status == 429 || status == 503) && attempt < ATTEMPTS) {
                    stats.retries.increment();
                    sleep(retryAfter(response));
                    continue;
                }
                Reply reply = new Reply(status, parse(response.body()));
                if (!reply.ok() && status != 404) {
                    stats.rejected.increment();
                    if (stats.rejected.sum() <= 5) {
                        log.accept("gateway answered " + status + " to " + path + ": " + reply.body());
                    }
                }
                return reply;
            } catch (IOException e) {
                if (attempt >= ATTEMPTS) {
                    stats.unreachable.increment();
                    return new Reply(0, JSON.missingNode());
                }
                sleep(Duration.ofMillis(250L * attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Reply(0, JSON.missingNode());
            }
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(body);
        } catch (RuntimeException notJson) {
            return JSON.missingNode();
        }
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse("1");
        try {
            return Duration.ofSeconds(Math.max(1, Math.min(30, Long.parseLong(value.trim()))));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
