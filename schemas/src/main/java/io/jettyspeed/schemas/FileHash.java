package io.jettyspeed.schemas;

import java.util.Locale;
import java.util.Optional;

/**
 * The one definition of a content hash in the events: SHA-256 as 64 lower-case hex characters (the
 * {@code fileHash} fields of the schemas and the {@code file_hash} columns). The gateway normalises what
 * clients send ({@code sha256:<64 hex>} or {@code <64 hex>}, any case) with {@link #normalise}; the
 * processors refuse anything else at their entry with {@link #isNormalised}.
 */
public final class FileHash {

    private static final int HEX_LENGTH = 64;
    private static final String PREFIX = "sha256:";

    private FileHash() {
    }

    /** Whether the hash is already in the events' form: 64 lower-case hex characters. */
    public static boolean isNormalised(String hash) {
        // By hand rather than a regular expression: the processors check every event's hash at their entry.
        if (hash == null || hash.length() != HEX_LENGTH) {
            return false;
        }
        for (int i = 0; i < HEX_LENGTH; i++) {
            char c = hash.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The hash as 64 lower-case hex characters, or empty when it is not a SHA-256 hash. */
    public static Optional<String> normalise(String hash) {
        if (hash == null) {
            return Optional.empty();
        }
        String hex = hash.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) ? hash.substring(PREFIX.length()) : hash;
        String lower = hex.toLowerCase(Locale.ROOT);
        return isNormalised(lower) ? Optional.of(lower) : Optional.empty();
    }
}
