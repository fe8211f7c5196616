package io.jettyspeed.processors.errors;

import io.jettyspeed.schemas.CompletedChunks;
import io.jettyspeed.schemas.EventLimits;
import io.jettyspeed.schemas.FileHash;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The bounds every client-controlled value is checked against where it enters a topology. The
 * gateway checks the same bounds ({@link EventLimits}), but the processors do not trust every
 * producer: a replay from a dead-letter topic, another producer, or an older gateway may write
 * anything the schema allows. A record outside a bound is dead-lettered, so no aggregate built
 * from the accepted ones can grow past the sizes stated on each aggregate.
 *
 * <p>Use {@link #check()} to collect the first violation of a record.
 */
public final class EntryLimits {

    // The bounds themselves are the event contract's (EventLimits, shared with the gateway's checks).
    public static final int MAX_ID_LENGTH = EventLimits.MAX_ID_LENGTH;
    public static final int MAX_FILE_NAME_LENGTH = EventLimits.MAX_FILE_NAME_LENGTH;
    public static final int MAX_ERROR_LENGTH = EventLimits.MAX_ERROR_LENGTH;
    public static final int MAX_EDGE_IDS = EventLimits.MAX_EDGE_IDS;
    /** Chunk indexes run from 0 to this minus 1; {@code totalChunks} is at most this. */
    public static final int MAX_CHUNKS_PER_FILE = CompletedChunks.MAX_CHUNKS_PER_FILE;
    public static final long MAX_FILE_SIZE = EventLimits.MAX_FILE_SIZE;
    public static final long MAX_CHUNK_SIZE = EventLimits.MAX_CHUNK_SIZE;
    public static final long MAX_DURATION_MS = EventLimits.MAX_DURATION_MS;
    public static final double MAX_LATENCY_MS = EventLimits.MAX_LATENCY_MS;
    public static final double MAX_BANDWIDTH_MBPS = EventLimits.MAX_BANDWIDTH_MBPS;

    private EntryLimits() {
    }

    public static Check check() {
        return new Check();
    }

    /** Collects the first violation of a record; every method is a no-op once one was found. */
    public static final class Check {

        private Violation first;

        private Check() {
        }

        /** The record's key must equal the named field. */
        public Check key(String key, String field, String value) {
            if (first == null && !key.equals(value)) {
                first = Violation.invariant("key " + Text.quote(key) + " differs from " + field + " " + Text.quote(value));
            }
            return this;
        }

        /** An id: present when required, at most {@link #MAX_ID_LENGTH} characters, no control characters. */
        public Check id(String field, String value, boolean required) {
            if (first == null && required && (value == null || value.isEmpty())) {
                first = Violation.invariant(field + " is missing");
            }
            return text(field, value, MAX_ID_LENGTH, false);
        }

        /** Free text that is stored: at most {@code max} characters, no C0 control characters (tab and line breaks allowed if said). */
        public Check text(String field, String value, int max, boolean allowLineBreaks) {
            if (first != null || value == null) {
                return this;
            }
            if (value.length() > max) {
                first = Violation.limit(field + " has " + value.length() + " characters, more than " + max);
                return this;
            }
            int control = Text.firstControlCharacter(value, allowLineBreaks);
            if (control >= 0) {
                first = Violation.invariant(String.format("%s contains the control character U+%04X at position %d",
                        field, (int) value.charAt(control), control));
            }
            return this;
        }

        public Check ids(String field, List<String> values, int maxItems) {
            if (first != null || values == null) {
                return this;
            }
            if (values.size() > maxItems) {
                first = Violation.limit(field + " has " + values.size() + " entries, more than " + maxItems);
                return this;
            }
            for (int i = 0; i < values.size() && first == null; i++) {
                id(field + "[" + i + "]", values.get(i), true);
            }
            return this;
        }

        public Check sha256(String field, String value, boolean required) {
            if (first == null && (value == null ? required : !FileHash.isNormalised(value))) {
                first = Violation.invariant(field + " is not 64 lower-case hex characters");
            }
            return this;
        }

        /** {@code value} (when present) in [min, max]: below is an invariant violation, above a limit. */
        public Check range(String field, Number value, long min, long max) {
            if (first != null || value == null) {
                return this;
            }
            long v = value.longValue();
            if (v < min) {
                first = Violation.invariant(field + " must be at least " + min + ", was " + v);
            } else if (v > max) {
                first = Violation.limit(field + " must be at most " + max + ", was " + v);
            }
            return this;
        }

        /** A finite number (when present) in [min, max]. */
        public Check between(String field, Double value, double min, double max) {
            if (first == null && value != null && !(value >= min && value <= max)) {
                first = Violation.invariant(field + " must be a number between " + min + " and " + max + ", was " + value);
            }
            return this;
        }

        /**
         * A client's event time must not lie further ahead of this processor's clock than the
         * allowed skew: one far-future time would advance the stream time of the event-id stores
         * and expire every id they remember, and make every later event of its key "late".
         */
        public Check eventTime(Instant eventTime, long now, Duration maxClockSkew) {
            if (first == null && eventTime != null && eventTime.toEpochMilli() > now + maxClockSkew.toMillis()) {
                first = Violation.invariant("eventTime " + eventTime + " is more than " + maxClockSkew
                        + " ahead of the processor's clock (" + Instant.ofEpochMilli(now) + ")");
            }
            return this;
        }

        public Check require(boolean valid, String description) {
            if (first == null && !valid) {
                first = Violation.invariant(description);
            }
            return this;
        }

        public Optional<Violation> result() {
            return Optional.ofNullable(first);
        }
    }
}
