package io.jettyspeed.gateway.validation;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The id and event time every event carries: the client's {@code eventId} (so that a retry counts
 * once) or a fresh UUID, and the client's {@code timestamp} (ISO-8601 or epoch milliseconds) or
 * the time the gateway received it.
 */
public final class EventMeta {

    /** Event times before this are not event times (typically epoch seconds sent as milliseconds). */
    public static final Instant EARLIEST = Instant.parse("2015-01-01T00:00:00Z");

    /** Event times after this are not event times either (and stay far inside every type that holds them). */
    static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    private EventMeta() {
    }

    public static String eventId(FieldReader reader) {
        String id = reader.id("eventId", false);
        return id != null ? id : UUID.randomUUID().toString();
    }

    public static Instant eventTime(FieldReader reader) {
        Checks checks = reader.checks();
        JsonNode timestamp = reader.raw("timestamp");
        if (timestamp == null || timestamp.isNull()) {
            return checks.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        }
        Instant time;
        if (timestamp.isString()) {
            if (timestamp.stringValue().length() > 64) {
                reader.invalid("timestamp", "must be an ISO-8601 date-time of at most 64 characters");
                return null;
            }
            try {
                time = OffsetDateTime.parse(timestamp.stringValue()).toInstant();
            } catch (java.time.DateTimeException e) {
                reader.invalid("timestamp", "must be an ISO-8601 date-time with offset (2025-01-31T12:00:00Z) or epoch milliseconds");
                return null;
            }
        } else if (timestamp.isNumber()) {
            java.math.BigDecimal millis = FieldReader.exactDecimal(timestamp);
            if (millis == null || !FieldReader.isIntegral(millis)
                    || millis.compareTo(java.math.BigDecimal.valueOf(EARLIEST.toEpochMilli())) < 0
                    || millis.compareTo(java.math.BigDecimal.valueOf(LATEST.toEpochMilli())) > 0) {
                reader.invalid("timestamp", "must be epoch milliseconds after " + EARLIEST);
                return null;
            }
            time = Instant.ofEpochMilli(millis.longValueExact());
        } else {
            reader.invalid("timestamp", "must be an ISO-8601 date-time string or epoch milliseconds");
            return null;
        }
        if (time.isBefore(EARLIEST)) {
            reader.invalid("timestamp", "must not be before " + EARLIEST);
            return null;
        }
        if (time.isAfter(checks.now().plus(checks.maxClockSkew()))) {
            reader.invalid("timestamp", "must not be more than " + checks.maxClockSkew().toSeconds()
                    + " seconds in the future");
            return null;
        }
        return time.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }
}
