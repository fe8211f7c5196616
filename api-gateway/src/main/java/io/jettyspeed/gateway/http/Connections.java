package io.jettyspeed.gateway.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Closing a connection after an answer given without reading the request's body (401, 429, 413,
 * 408). Left alone, Tomcat would read ("swallow") up to {@code server.tomcat.max-swallow-size} of
 * the unread body after the answer to keep the connection alive, on a request thread, at whatever
 * pace the client sends it: a client trickling a body that will never be read would hold a thread.
 * Instead the answer says {@code Connection: close} and Tomcat is told not to read the rest
 * ({@link TomcatConfiguration.ConnectionControlValve} provides the hook; without Tomcat, as under
 * MockMvc, only the header is set).
 */
public final class Connections {

    /** Request attribute: a {@link Runnable} that tells the container not to read the rest of the body. */
    public static final String DISABLE_SWALLOW = "io.jettyspeed.gateway.http.disableSwallow";

    /**
     * Request attribute: an {@link java.util.function.IntSupplier} that reads, without blocking, body
     * bytes that have reached the socket beyond what the container has buffered, and says how many
     * can now be read without blocking ({@link TomcatConfiguration.ConnectionControlValve}).
     */
    public static final String READ_ARRIVED = "io.jettyspeed.gateway.http.readArrived";

    /** Request attribute set once the whole body has been read. */
    public static final String BODY_READ = "io.jettyspeed.gateway.http.bodyRead";

    private Connections() {
    }

    /** When the request may still have body bytes in flight: answer with Connection: close and read none of them. */
    public static void closeIfBodyUnread(HttpServletRequest request, HttpServletResponse response) {
        if (request.getAttribute(BODY_READ) != null || !RequestPaths.announcesBody(request)) {
            return;
        }
        response.setHeader("Connection", "close");
        if (request.getAttribute(DISABLE_SWALLOW) instanceof Runnable disable) {
            disable.run();
        }
    }
}
