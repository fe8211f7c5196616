package io.jettyspeed.gateway.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;

/**
 * Decisions about a request are taken on the path the container routes, never on the raw request
 * target: {@code /%61pi/jetty/events}, {@code /api;x=1/jetty/events}, {@code //api/jetty/events},
 * {@code /api/./jetty/events} and {@code /api/jetty/../jetty/events} all reach the same handler, so
 * they all get the same authentication and body limit. Tomcat decodes, strips path parameters,
 * merges slashes and resolves dot segments before it maps a request (and refuses what it cannot
 * normalise, such as an encoded slash or a path above the root), and the servlet path is the result.
 *
 * <p>Everything needs an API key except the explicit public allow-list below, read with GET or HEAD.
 */
public final class RequestPaths {

    /** Public paths, exact. */
    static final Set<String> PUBLIC_EXACT = Set.of("/dashboard", "/dashboard/", "/actuator/health",
            "/actuator/prometheus", "/actuator/info", "/v3/api-docs", "/v3/api-docs.yaml", "/favicon.ico");

    /** Public path prefixes (the dashboard's static files, health groups, OpenAPI groups). */
    static final List<String> PUBLIC_PREFIXES = List.of("/dashboard/", "/actuator/health/", "/v3/api-docs/");

    private RequestPaths() {
    }

    /**
     * The normalised, decoded path within the application that the container routes. In a mock
     * environment without a servlet path (MockMvc) it falls back to the request URI.
     */
    public static String routed(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        if ((servletPath == null || servletPath.isEmpty()) && pathInfo == null) {
            String uri = request.getRequestURI();
            String context = request.getContextPath();
            return uri != null && context != null && uri.startsWith(context) ? uri.substring(context.length()) : uri;
        }
        return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    }

    /** Whether a request may go without an API key: a GET or HEAD of a public path. */
    public static boolean isPublic(HttpServletRequest request) {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return false;
        }
        String path = routed(request);
        if (path == null) {
            return false;
        }
        if (PUBLIC_EXACT.contains(path)) {
            return true;
        }
        for (String prefix : PUBLIC_PREFIXES) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the request is for the JSON API ({@code /api/jetty/...}). */
    public static boolean isJettyApi(HttpServletRequest request) {
        String path = routed(request);
        return path != null && path.startsWith("/api/jetty/");
    }

    /** Whether the request announces a body: a positive Content-Length or chunked transfer encoding. */
    public static boolean announcesBody(HttpServletRequest request) {
        if (request.getContentLengthLong() > 0) {
            return true;
        }
        String transferEncoding = request.getHeader("Transfer-Encoding");
        return transferEncoding != null && !transferEncoding.isBlank();
    }
}
