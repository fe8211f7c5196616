package io.jettyspeed.gateway.security;

import java.util.Locale;

/** What an API key may do; stored lower-case in {@code api_keys.scopes}. */
public enum Scope {
    /** Upload clients: uploads, chunks and dedup checks, only for the key's own user. */
    CLIENT,
    /** Edge nodes and probes: edge metric samples only. */
    EDGE,
    /** Analysts: read endpoints only, never writes. */
    ANALYST,
    /** Operators: anything, for any user. */
    ADMIN;

    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scope fromDb(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
