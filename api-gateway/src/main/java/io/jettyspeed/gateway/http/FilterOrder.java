package io.jettyspeed.gateway.http;

/**
 * Where the gateway's own servlet filters run, in one place because each is placed relative to the
 * others: authentication before the body is read, so that no body is read for a request without a
 * valid key.
 */
public final class FilterOrder {

    /** {@code ApiKeyFilter}: authentication and rate limit. */
    public static final int API_KEY = -50;
    /** {@link RequestBodyFilter}: reads the body (bounded in size and time), after authentication. */
    public static final int REQUEST_BODY = API_KEY + 10;

    private FilterOrder() {
    }
}
