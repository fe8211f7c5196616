package io.jettyspeed.gateway.http;

import io.jettyspeed.gateway.GatewayProperties;
import io.jettyspeed.gateway.problems.FieldError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

/**
 * Reads every request body into memory before the handlers see it, within two bounds:
 * <ul>
 *   <li><b>size</b> ({@code jetty.gateway.max-body-size}): a declared {@code Content-Length} above
 *       it is refused before reading (413); a chunked body as soon as it has sent one byte more;
 *   <li><b>time</b> ({@code jetty.gateway.body-timeout}): the whole body must arrive within it,
 *       else 408. This is a total deadline, not an idle timeout, so a client sending one byte every
 *       two seconds under a valid Content-Length cannot keep a request open for hours.
 * </ul>
 * Either answer closes the connection without reading the rest ({@link Connections}).
 *
 * <p>A body that has arrived (with the headers, or on the socket: a batch sent in one write) is read
 * at once on the request thread, without blocking. A body still on its way is read with non-blocking
 * I/O (an async request with a {@link ReadListener}): while a slow client trickles, it holds no
 * request thread, only its connection, so a few hundred slow clients cannot starve everyone else of
 * Tomcat's threads. Once complete, the request is dispatched again (an ASYNC dispatch) with the
 * buffered body, and the rest of the chain runs as usual; {@code jetty.gateway.request.bodies.awaited}
 * counts those bodies. Runs after authentication: no body is read for a request without a valid key.
 */
@Component
@Order(FilterOrder.REQUEST_BODY)
public class RequestBodyFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RequestBodyFilter.class);

    private final long maxBytes;
    private final Duration timeout;
    private final Counter awaited;

    public RequestBodyFilter(GatewayProperties properties, ObjectProvider<MeterRegistry> meters) {
        this.maxBytes = properties.maxBodySize().toBytes();
        this.timeout = properties.bodyTimeout();
        MeterRegistry registry = meters.getIfAvailable();
        this.awaited = registry == null ? null : Counter.builder("jetty.gateway.request.bodies.awaited")
                .description("Request bodies that had not arrived with their request and were read as they came, without a thread")
                .register(registry);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            tooLarge(request, response);
            return;
        }
        if (!RequestPaths.announcesBody(request)) {
            request.setAttribute(Connections.BODY_READ, Boolean.TRUE);
            chain.doFilter(request, response);
            return;
        }
        ServletInputStream in = request.getInputStream();
        Body body = new Body(maxBytes, declared);
        // What has arrived is read now, without ever blocking.
        while (!body.tooLarge() && !(declared >= 0 && body.size() == declared) && arrived(request, in) > 0) {
            if (!body.readFrom(in)) {
                break;
            }
        }
        if (body.tooLarge()) {
            tooLarge(request, response);
            return;
        }
        if ((declared >= 0 && body.size() == declared) || body.ended() || in.isFinished()) {
            request.setAttribute(Connections.BODY_READ, Boolean.TRUE);
            chain.doFilter(new BufferedBodyRequest(request, body.bytes()), response);
            return;
        }
        readAsync(request, response, in, body, deadline);
    }

    /**
     * How many body bytes can be read without blocking: those the container has buffered, else those
     * that have reached the socket (read into its buffer without blocking, under Tomcat).
     */
    private static int arrived(HttpServletRequest request, ServletInputStream in) throws IOException {
        int buffered = in.available();
        if (buffered > 0) {
            return buffered;
        }
        return request.getAttribute(Connections.READ_ARRIVED) instanceof IntSupplier readArrived ? readArrived.getAsInt() : 0;
    }

    /** The rest of the body with non-blocking reads; then an ASYNC dispatch of the buffered request. */
    private void readAsync(HttpServletRequest request, HttpServletResponse response, ServletInputStream in, Body body,
            long deadline) {
        if (awaited != null) {
            awaited.increment();
        }
        BufferedBodyRequest buffered = new BufferedBodyRequest(request, null);
        AsyncContext async = request.startAsync(buffered, response);
        async.setTimeout(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        AtomicBoolean settled = new AtomicBoolean();
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) {
                if (settled.compareAndSet(false, true)) {
                    answer(async, request, response, HttpStatus.REQUEST_TIMEOUT, "Request timeout",
                            "The request body did not arrive within " + timeout.toSeconds() + " seconds.",
                            "must arrive within " + timeout.toSeconds() + " seconds");
                }
            }

            @Override
            public void onError(AsyncEvent event) {
                if (settled.compareAndSet(false, true)) {
                    try {
                        async.complete();
                    } catch (IllegalStateException alreadyDone) {
                        // completed by the container
                    }
                }
            }

            @Override
            public void onComplete(AsyncEvent event) {
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        in.setReadListener(new ReadListener() {
            @Override
            public void onDataAvailable() throws IOException {
                while (!settled.get() && in.isReady() && !in.isFinished()) {
                    if (!body.readFrom(in)) {
                        break;
                    }
                    if (body.tooLarge()) {
                        if (settled.compareAndSet(false, true)) {
                            answer(async, request, response, HttpStatus.CONTENT_TOO_LARGE, "Content too large",
                                    "The request body is larger than " + maxBytes + " bytes.",
                                    "must be at most " + maxBytes + " bytes");
                        }
                        return;
                    }
                }
            }

            @Override
            public void onAllDataRead() {
                if (settled.compareAndSet(false, true)) {
                    request.setAttribute(Connections.BODY_READ, Boolean.TRUE);
                    buffered.body = body.bytes();
                    String query = request.getQueryString();
                    async.dispatch(UriUtils.encodePath(RequestPaths.routed(request), StandardCharsets.UTF_8)
                            + (query == null ? "" : "?" + query));
                }
            }

            @Override
            public void onError(Throwable error) {
                // The client went away or broke the framing: nobody is left to answer.
                if (settled.compareAndSet(false, true)) {
                    log.debug("request body of {} failed: {}", request.getRemoteAddr(), error.toString());
                    try {
                        async.complete();
                    } catch (IllegalStateException alreadyDone) {
                        // completed by the container
                    }
                }
            }
        });
    }

    private void answer(AsyncContext async, HttpServletRequest request, HttpServletResponse response, HttpStatus status,
            String title, String detail, String message) {
        try {
            ProblemResponses.write(request, response, status, title, detail, List.of(new FieldError("body", message)),
                    null);
        } catch (IOException | RuntimeException e) {
            log.debug("could not answer {}: {}", status, e.toString());
        } finally {
            try {
                async.complete();
            } catch (IllegalStateException alreadyDone) {
                // completed by the container
            }
        }
    }

    private void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ProblemResponses.write(request, response, HttpStatus.CONTENT_TOO_LARGE, "Content too large",
                "The request body is larger than " + maxBytes + " bytes.",
                List.of(new FieldError("body", "must be at most " + maxBytes + " bytes")), null);
    }

    /**
     * The bytes read so far, up to the limit plus one, in one array: sized to a declared
     * {@code Content-Length} within the limit (read in place and handed over without a copy), else
     * grown as the body arrives. Every request has one, so it allocates nothing else.
     */
    private static final class Body {
        private static final int FIRST_CHUNK = 8192;
        private final long max;
        private byte[] bytes;
        private int size;
        private boolean ended;

        Body(long max, long declared) {
            this.max = max;
            this.bytes = new byte[declared >= 0 && declared <= max ? (int) declared : (int) Math.min(FIRST_CHUNK, max + 1)];
        }

        /** Reads once; false at the end of the stream. */
        boolean readFrom(ServletInputStream in) throws IOException {
            if (size == bytes.length) {
                // More than declared (or than read so far): grow, at most to one byte over the limit.
                bytes = Arrays.copyOf(bytes, (int) Math.min(Math.max(2L * bytes.length, FIRST_CHUNK), max + 1));
            }
            int read = in.read(bytes, size, bytes.length - size);
            if (read < 0) {
                ended = true;
                return false;
            }
            size += read;
            return true;
        }

        boolean tooLarge() {
            return size > max;
        }

        boolean ended() {
            return ended;
        }

        long size() {
            return size;
        }

        byte[] bytes() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }

    /** The request with its body already in memory. */
    static final class BufferedBodyRequest extends HttpServletRequestWrapper {

        private volatile byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        private byte[] body() {
            byte[] current = body;
            return current == null ? new byte[0] : current;
        }

        @Override
        public int getContentLength() {
            return body().length;
        }

        @Override
        public long getContentLengthLong() {
            return body().length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body());
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public byte[] readAllBytes() {
                    return in.readAllBytes();
                }

                /**
                 * One copy. {@code @RequestBody byte[]} reads the body with this; InputStream's own reads
                 * 8 KB chunks into a list and copies them together (12 % of a batch's allocations).
                 */
                @Override
                public byte[] readNBytes(int len) {
                    if (len < 0) {
                        throw new IllegalArgumentException("len < 0");
                    }
                    byte[] bytes = new byte[Math.min(len, in.available())];
                    in.read(bytes, 0, bytes.length);
                    return bytes;
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    // The body is already in memory: all of it is available at once.
                    try {
                        listener.onDataAvailable();
                        listener.onAllDataRead();
                    } catch (IOException e) {
                        listener.onError(e);
                    }
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            Charset charset = StandardCharsets.UTF_8;
            try {
                String encoding = getCharacterEncoding();
                charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            } catch (IllegalArgumentException unknownCharset) {
                // JSON is UTF-8 (RFC 8259); a bogus charset parameter changes nothing
            }
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }
}
