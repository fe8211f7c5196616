package io.jettyspeed.gateway.http;

import io.jettyspeed.gateway.problems.Problems;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's own error answers (those it gives before or outside the application: an unparsable
 * request line or header, a bad {@code Content-Length}, broken chunked encoding, an invalid
 * {@code Host}, {@code %00} or an encoded slash in the path) as problem documents
 * ({@code application/problem+json}, RFC 9457) with the gateway's shape, never Tomcat's HTML page,
 * its version or a stack trace. Tomcat's 501 (a transfer coding it does not implement) and 505 (an
 * HTTP version it does not speak) become 400: they are the client's mistakes, and the gateway keeps
 * 5xx for its own faults (so that a 5xx is always worth an alert). Installed as the host's error
 * report valve by
 * {@link TomcatConfiguration}; errors inside the application are rendered by
 * {@link ProblemErrorController}.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public ProblemErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        if (status == 501 || status == 505) {
            response.setStatus(400);
            status = 400;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = detail(status);
        String instance = null;
        try {
            instance = request.getDecodedRequestURI();
        } catch (RuntimeException unparsed) {
            // the request line itself was the problem
        }
        byte[] body = JSON.writeValueAsBytes(Problems.toMap(Problems.of(HttpStatusCode.valueOf(status), title, detail,
                instance == null || instance.isEmpty() ? null : instance, List.of())));
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(new String(body, java.nio.charset.StandardCharsets.UTF_8));
                response.finishResponse();
            }
        } catch (Exception e) {
            // the connection is beyond help; Tomcat closes it
        }
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "The request could not be parsed as HTTP/1.1 (request line, version, headers, Host,"
                    + " Content-Length, transfer encoding or path).";
            case 404 -> "Nothing is served at this path.";
            case 408 -> "The request did not arrive in time.";
            case 411 -> "A Content-Length is required.";
            case 413 -> "The request is too large.";
            case 414 -> "The request target is too long.";
            case 431 -> "The request headers are too large.";
            default -> status >= 500 ? "The request could not be processed." : "The request was refused.";
        };
    }
}
