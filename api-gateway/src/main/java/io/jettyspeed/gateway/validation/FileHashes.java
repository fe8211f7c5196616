package io.jettyspeed.gateway.validation;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** SHA-256 content hashes as clients send them ({@code sha256:<64 hex>} or {@code <64 hex>}). */
public final class FileHashes {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final String PREFIX = "sha256:";

    private FileHashes() {
    }

    /** The hash as 64 lower-case hex characters, or empty when it is not a SHA-256 hash. */
    public static Optional<String> normalise(String hash) {
        if (hash == null) {
            return Optional.empty();
        }
        String hex = hash.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) ? hash.substring(PREFIX.length()) : hash;
        return HEX64.matcher(hex).matches() ? Optional.of(hex.toLowerCase(Locale.ROOT)) : Optional.empty();
    }
}
