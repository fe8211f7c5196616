package io.jettyspeed.gateway.problems;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Builds the gateway's problem documents so that every error, whether raised in a filter or a
 * controller, has the same shape: {@code type, title, status, detail, instance} and an
 * {@code errors} list of {@code {field, message}} (empty when no field is to blame).
 */
public final class Problems {

    /** Base of the {@code type} URIs; the last segment names the kind of problem. */
    public static final String TYPE_BASE = "https://jettyspeed.io/problems/";

    public static final String ERRORS = "errors";

    private Problems() {
    }

    public static ProblemDetail of(HttpStatusCode status, String title, String detail, String instance,
            List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + slug(status.value())));
        problem.setTitle(title);
        if (instance != null) {
            try {
                problem.setInstance(URI.create(instance));
            } catch (IllegalArgumentException notAUri) {
                // a request target the container accepted but java.net.URI does not: leave instance out
            }
        }
        problem.setProperty(ERRORS, errors.stream().map(Problems::errorMap).toList());
        return problem;
    }

    /** Whole seconds for a {@code Retry-After} header, at least one. */
    public static String retryAfterSeconds(Duration retryAfter) {
        long millis = Math.max(1, retryAfter.toMillis());
        return Long.toString((millis + 999) / 1000);
    }

    /** The problem as an ordered map, the way it is written on the wire. */
    public static Map<String, Object> toMap(ProblemDetail problem) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", problem.getType().toString());
        map.put("title", problem.getTitle());
        map.put("status", problem.getStatus());
        map.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            map.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            map.putAll(problem.getProperties());
        }
        map.putIfAbsent(ERRORS, List.of());
        return map;
    }

    static String slug(int status) {
        return switch (status) {
            case 400 -> "invalid-request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 408 -> "request-timeout";
            case 411 -> "length-required";
            case 413 -> "payload-too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            case 429 -> "rate-limited";
            case 431 -> "headers-too-large";
            case 503 -> "unavailable";
            default -> status >= 500 ? "server-error" : "client-error";
        };
    }

    private static Map<String, String> errorMap(FieldError error) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("field", error.field());
        map.put("message", error.message());
        return map;
    }
}
