package io.jettyspeed.processors.errors;

import java.util.Optional;

/** Checks invariants of a decoded record that no schema can express; an empty answer means valid. */
@FunctionalInterface
public interface Validator<T> {

    Optional<String> violation(String key, T value);

    static <T> Validator<T> none() {
        return (key, value) -> Optional.empty();
    }
}
