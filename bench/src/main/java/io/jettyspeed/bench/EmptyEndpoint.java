package io.jettyspeed.bench;

import io.jettyspeed.gateway.security.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Benchmark only, registered by {@link ServiceMain} in the benchmark's gateway JVM, never by the
 * gateway itself: the HTTP ceiling of row 1. It lives under {@code /api/} so that exactly the filters
 * of the real endpoints apply (they select requests by the {@code /api/} prefix): the HTTP
 * observation, API-key authentication with its cache and rate limit, and the body-size limit that
 * buffers the body. Like a real endpoint it requires JSON, takes the body as bytes and the
 * authenticated caller (present only when the key filter ran); then it answers a fixed 202 without
 * validating, publishing or waiting for Kafka.
 */
@RestController
public class EmptyEndpoint {

    public static final String PATH = "/api/bench/empty";

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> empty(@RequestBody byte[] body, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).contentType(MediaType.APPLICATION_JSON)
                .body("{\"accepted\":1}");
    }
}
