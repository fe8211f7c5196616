package io.jettyspeed.processors.errors;

import io.jettyspeed.schemas.DeadLetterReason;

/**
 * Why a decoded record is refused: {@code INVARIANT_VIOLATION} for a value that is wrong (negative,
 * malformed, a control character, a key that does not match), {@code LIMIT_EXCEEDED} for one that
 * is too large or too many (a string, a list, a chunk index past what one file may have).
 */
public record Violation(DeadLetterReason reason, String description) {

    public static Violation invariant(String description) {
        return new Violation(DeadLetterReason.INVARIANT_VIOLATION, description);
    }

    public static Violation limit(String description) {
        return new Violation(DeadLetterReason.LIMIT_EXCEEDED, description);
    }
}
