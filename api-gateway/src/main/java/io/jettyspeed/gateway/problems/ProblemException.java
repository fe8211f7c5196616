package io.jettyspeed.gateway.problems;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A request that ends in a problem document (RFC 9457) with a known status, detail and, where
 * fields are to blame, the list of them.
 */
public class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final List<FieldError> errors;
    private final Duration retryAfter;
    private final Map<String, Object> properties = new LinkedHashMap<>();

    public ProblemException(HttpStatus status, String title, String detail, List<FieldError> errors,
            Duration retryAfter) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    /** 400: the request names bad fields. */
    public static ProblemException invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? "Field '" + errors.get(0).field() + "' " + errors.get(0).message() + "."
                : errors.size() + " fields are invalid; see errors.";
        return new ProblemException(HttpStatus.BAD_REQUEST, "Invalid request", detail, errors, null);
    }

    /** 403: the key may not do this (wrong scope, or another user's data). */
    public static ProblemException forbidden(String detail, List<FieldError> errors) {
        return new ProblemException(HttpStatus.FORBIDDEN, "Forbidden", detail, errors, null);
    }

    /** 503: a dependency (Kafka, the key database) cannot take the request now; retry later. */
    public static ProblemException unavailable(String detail, Duration retryAfter) {
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail, List.of(),
                retryAfter);
    }

    /** Adds a member to the problem document (RFC 9457 extension member), e.g. {@code asOf}. */
    public ProblemException with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    /** The extension members, in the order they were added. */
    public Map<String, Object> properties() {
        return java.util.Collections.unmodifiableMap(properties);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** Seconds for the {@code Retry-After} header, or null for none. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
