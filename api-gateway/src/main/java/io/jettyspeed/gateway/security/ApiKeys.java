package io.jettyspeed.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API key format {@code ac_<key_id>_<secret>}: the key id is public (it finds the row and may be
 * logged), the secret is not. Only the SHA-256 of the whole key is stored.
 */
public final class ApiKeys {

    public static final String PREFIX = "ac_";

    private static final Pattern FORMAT = Pattern.compile("ac_([a-z0-9]{1,32})_([A-Za-z0-9]{16,128})");
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    /** The key id of a well-formed key, or empty. */
    public static Optional<String> keyId(String key) {
        if (key == null) {
            return Optional.empty();
        }
        var matcher = FORMAT.matcher(key);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Constant-time comparison of a presented key with a stored hash. */
    public static boolean matches(String key, byte[] storedHash) {
        return MessageDigest.isEqual(hash(key), storedHash);
    }

    /** A new random key: 12-character id, 40-character secret (about 238 bits). */
    public static String generate() {
        return PREFIX + random(ALPHABET, 12) + "_" + random(SECRET_ALPHABET, 40);
    }

    private static String random(char[] alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet[RANDOM.nextInt(alphabet.length)]);
        }
        return out.toString();
    }
}
