package io.jettyspeed.gateway.security;

import io.jettyspeed.gateway.GatewayProperties;
import io.jettyspeed.gateway.http.FilterOrder;
import io.jettyspeed.gateway.http.ProblemResponses;
import io.jettyspeed.gateway.http.RequestPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every request by its {@code Authorization: Bearer ac_...} key and applies the key's
 * rate limit, except the public allow-list of {@link RequestPaths#isPublic} (the dashboard's static
 * files, health, metrics, the OpenAPI description), matched on the path the container routes, so
 * that no spelling of a protected path ({@code /%61pi/...}, {@code /api;x=1/...}, {@code //api/...})
 * gets past it. Runs before the body is read: a request without a valid key is answered 401 and
 * its body is never read. The key itself is never logged; its public id may be.
 */
@Component
@Order(ApiKeyFilter.ORDER)
public class ApiKeyFilter extends OncePerRequestFilter {

    public static final int ORDER = FilterOrder.API_KEY;

    private static final Logger log = LoggerFactory.getLogger(ApiKeyFilter.class);
    private static final String REALM = "Bearer realm=\"jettyspeed\"";

    private final ApiKeyAuthenticator authenticator;
    private final RateLimiter rateLimiter;
    private final Duration retryAfter;

    public ApiKeyFilter(ApiKeyAuthenticator authenticator, RateLimiter rateLimiter, GatewayProperties properties) {
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
        this.retryAfter = properties.retryAfter();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return RequestPaths.isPublic(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            unauthenticated(request, response, REALM, "An API key is required: send Authorization: Bearer ac_...");
            return;
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            unauthenticated(request, response, REALM + ", error=\"invalid_request\"",
                    "The Authorization header must use the Bearer scheme with an ac_ API key.");
            return;
        }
        Optional<ApiKeyAuthenticator.Authenticated> authenticated;
        try {
            authenticated = authenticator.authenticate(header.substring(7).trim());
        } catch (Exception e) {
            log.warn("Cannot check API keys: the key database is unavailable ({})", e.toString());
            ProblemResponses.write(request, response, HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
                    "API keys cannot be checked right now; retry later.", List.of(), retryAfter);
            return;
        }
        if (authenticated.isEmpty()) {
            unauthenticated(request, response, REALM + ", error=\"invalid_token\"",
                    "The API key is malformed, unknown or revoked.");
            return;
        }
        Caller caller = authenticated.get().caller();
        Duration wait = rateLimiter.tryAcquire(caller.keyId(), authenticated.get().requestsPerSecond());
        if (!wait.isZero()) {
            ProblemResponses.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                    "Key " + caller.keyId() + " is limited to " + authenticated.get().requestsPerSecond()
                            + " requests per second.", List.of(), wait);
            return;
        }
        request.setAttribute(Caller.ATTRIBUTE, caller);
        chain.doFilter(request, response);
    }

    private static void unauthenticated(HttpServletRequest request, HttpServletResponse response, String challenge,
            String detail) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
        ProblemResponses.write(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized", detail, List.of(), null);
    }
}
