package io.jettyspeed.gateway.problems;

/** One offending field of a request: its JSON path ({@code events[3].fileSize}) and what is wrong. */
public record FieldError(String field, String message) {
}
