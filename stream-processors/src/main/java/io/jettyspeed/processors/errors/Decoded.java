package io.jettyspeed.processors.errors;

import io.jettyspeed.schemas.DeadLetter;

/** A record read as bytes: either its decoded value or the dead letter explaining why it is unusable. */
public record Decoded<T>(T value, DeadLetter deadLetter) {

    public static <T> Decoded<T> ok(T value) {
        return new Decoded<>(value, null);
    }

    public static <T> Decoded<T> failed(DeadLetter deadLetter) {
        return new Decoded<>(null, deadLetter);
    }

    public boolean isValid() {
        return deadLetter == null;
    }
}
