package io.jettyspeed.gateway.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerMapping;

/**
 * {@code http.server.requests} as a plain Micrometer {@link Timer}: the same name and tags
 * ({@code method}, {@code uri} as the route template, {@code status}, {@code outcome},
 * {@code exception}, {@code error}) that Spring's {@code ServerHttpObservationFilter} records and
 * the Grafana dashboard reads, without an {@code Observation} per request (context, conventions,
 * handlers, an active-requests long task timer): one {@code nanoTime} pair and one map look-up of a
 * timer built once per route and status. Selected by {@code jetty.gateway.http-metrics=timer}
 * (the default; {@link HttpMetricsConfiguration}). Not recorded: {@code http.server.requests.active}.
 *
 * <p>An async request (an event stream, a body still arriving) is timed until it completes; the
 * route is known by then. Registered first among the filters, like the observation filter, so
 * that the answers of the other filters (401, 413, 429) are counted too (their uri is
 * {@code UNKNOWN}: they answer before any route is chosen, as with the observation filter).
 */
public class HttpRequestTimerFilter extends OncePerRequestFilter {

    static final String METRIC = "http.server.requests";

    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

    private final MeterRegistry registry;
    private final ConcurrentHashMap<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    public HttpRequestTimerFilter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        Throwable failure = null;
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            failure = e;
            // What the container will answer once the exception leaves the chain (as the observation filter records).
            response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            throw e;
        } finally {
            if (failure == null && request.isAsyncStarted()) {
                OnAsyncEnd.register(request, () -> record(request, response, start, null));
            } else {
                record(request, response, start, failure);
            }
        }
    }

    private void record(HttpServletRequest request, HttpServletResponse response, long start, Throwable failure) {
        int status = response.getStatus();
        Object handled = request.getAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE);
        Throwable exception = failure != null ? failure : handled instanceof Throwable t ? t : null;
        TimerKey key = new TimerKey(method(request), uri(request, status), status,
                exception == null ? "none" : exception.getClass().getSimpleName());
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, this::timer);
        }
        timer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private Timer timer(TimerKey key) {
        return Timer.builder(METRIC)
                .tag("method", key.method())
                .tag("uri", key.uri())
                .tag("status", Integer.toString(key.status()))
                .tag("outcome", outcome(key.status()))
                .tag("exception", key.exception())
                .tag("error", key.exception())
                .register(registry);
    }

    private static String method(HttpServletRequest request) {
        String method = request.getMethod();
        return method != null && METHODS.contains(method) ? method : "UNKNOWN";
    }

    /** The route template, as Spring's observation convention names it. */
    private static String uri(HttpServletRequest request, int status) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (pattern != null) {
            String text = pattern.toString();
            return text.isEmpty() ? "root" : text;
        }
        if (status >= 300 && status < 400) {
            return "REDIRECTION";
        }
        return status == 404 ? "NOT_FOUND" : "UNKNOWN";
    }

    private static String outcome(int status) {
        return switch (status / 100) {
            case 1 -> "INFORMATIONAL";
            case 2 -> "SUCCESS";
            case 3 -> "REDIRECTION";
            case 4 -> "CLIENT_ERROR";
            case 5 -> "SERVER_ERROR";
            default -> "UNKNOWN";
        };
    }

    private record TimerKey(String method, String uri, int status, String exception) {
    }
}
