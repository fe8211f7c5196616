package io.jettyspeed.gateway.http;

import io.jettyspeed.gateway.GatewayProperties;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * At most {@code jetty.gateway.max-requests-per-client} requests of one client address in progress
 * at once, counting requests whose body is still arriving and open event streams; beyond that a 429
 * with {@code Retry-After}, before authentication and without reading the body (the connection is
 * closed). Together with the body deadline ({@link RequestBodyFilter}) this keeps one slow or
 * greedy client from holding the gateway's connections and threads.
 *
 * <p>The address is {@code request.getRemoteAddr()}. Behind a load balancer that is the balancer's,
 * and every client would share one limit: run with {@code server.forward-headers-strategy=native}
 * and the balancer's addresses in {@code server.tomcat.remoteip.internal-proxies}, so that Tomcat
 * takes the client's address from {@code X-Forwarded-For}, or size the limit for the balancer.
 *
 * <p>Memory: one counter per address with a request in progress, removed when its last request
 * ends, so the map never holds more entries than there are open requests.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class ClientLimitFilter extends OncePerRequestFilter implements MeterBinder {

    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final int maxPerClient;
    private final ConcurrentHashMap<String, Integer> inProgress = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    public ClientLimitFilter(GatewayProperties properties) {
        this.maxPerClient = properties.maxRequestsPerClient();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = String.valueOf(request.getRemoteAddr());
        if (!tryAcquire(client)) {
            refused.incrementAndGet();
            ProblemResponses.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                    "This client already has " + maxPerClient + " requests in progress; wait for one to finish.",
                    List.of(), RETRY_AFTER);
            return;
        }
        boolean releaseLater = false;
        try {
            chain.doFilter(request, response);
            if (request.isAsyncStarted()) {
                OnAsyncEnd.register(request, () -> release(client));
                releaseLater = true;
            }
        } catch (IllegalStateException asyncAlreadyOver) {
            releaseLater = false;
        } finally {
            if (!releaseLater) {
                release(client);
            }
        }
    }

    boolean tryAcquire(String client) {
        AtomicBoolean acquired = new AtomicBoolean();
        inProgress.compute(client, (key, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxPerClient) {
                return count;
            }
            acquired.set(true);
            return current + 1;
        });
        return acquired.get();
    }

    void release(String client) {
        inProgress.computeIfPresent(client, (key, count) -> count <= 1 ? null : count - 1);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("jetty.gateway.clients.tracked", this, ClientLimitFilter::trackedClients)
                .description("Client addresses with a request in progress").register(registry);
        FunctionCounter.builder("jetty.gateway.clients.refused", this, ClientLimitFilter::refusedRequests)
                .description("Requests refused (429) because their client had too many in progress")
                .register(registry);
    }

    /** Addresses with at least one request in progress. */
    public int trackedClients() {
        return inProgress.size();
    }

    /** Requests refused with 429 since start. */
    public long refusedRequests() {
        return refused.get();
    }
}
