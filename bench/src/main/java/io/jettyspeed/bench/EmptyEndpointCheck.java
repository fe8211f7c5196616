package io.jettyspeed.bench;

import java.nio.charset.StandardCharsets;

/**
 * Proof, at the start of every run, that the empty endpoint sits behind the same filters as the
 * real ones: without a key it gets 401 (API-key filter), with a body above the limit 413 (body-size
 * filter), with both right 202.
 */
final class EmptyEndpointCheck {

    private EmptyEndpointCheck() {
    }

    static void verify(int port, String apiKey, byte[] goodRequest) {
        String json = "{\"samples\":[]}";
        String big = "{\"pad\":\"" + "x".repeat(1_100_000) + "\"}";
        try (MiniHttp http = new MiniHttp("localhost", port)) {
            expect(http.exchange(MiniHttp.post("localhost", port, EmptyEndpoint.PATH, null, json)), 401, "without a key");
            expect(http.exchange(MiniHttp.post("localhost", port, EmptyEndpoint.PATH, apiKey, big)), 413,
                    "with a body above the limit");
        }
        try (MiniHttp http = new MiniHttp("localhost", port)) {
            expect(http.exchange(goodRequest), 202, "with a key and a small body");
        }
        Bench.log("empty endpoint " + EmptyEndpoint.PATH + " answers 401 without a key, 413 above the body limit, 202 otherwise");
    }

    private static void expect(MiniHttp.Response r, int status, String what) {
        if (r.status() != status) {
            throw new IllegalStateException("the empty endpoint answered " + r.status() + " " + what + " (expected "
                    + status + "): " + new String(r.body(), StandardCharsets.UTF_8));
        }
    }
}
