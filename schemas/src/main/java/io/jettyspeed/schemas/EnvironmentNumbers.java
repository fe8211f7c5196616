package io.jettyspeed.schemas;

import java.util.Map;

/**
 * Whole numbers read from the environment (partition counts, replication, ports): unset means the
 * default, anything else must be in range or start-up stops with a line that names the variable.
 */
public final class EnvironmentNumbers {

    private EnvironmentNumbers() {
    }

    /**
     * {@code env[name]} as a whole number from {@code min} to {@code max}, or {@code fallback} when unset
     * or blank; otherwise refused as "{@code name} must be {@code meaning}, was '…'".
     */
    public static int wholeNumber(Map<String, String> env, String name, int fallback, int min, int max, String meaning) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(name + " must be " + meaning + ", was '" + value + "'");
    }
}
