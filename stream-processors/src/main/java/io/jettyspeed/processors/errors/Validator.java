package io.jettyspeed.processors.errors;

import java.util.Optional;

/**
 * Checks invariants and bounds of a decoded record that no schema can express; an empty answer
 * means valid. {@code now} is the processing wall-clock time, for bounds on client clocks.
 */
@FunctionalInterface
public interface Validator<T> {

    Optional<Violation> violation(String key, T value, long now);

    static <T> Validator<T> none() {
        return (key, value, now) -> Optional.empty();
    }
}
