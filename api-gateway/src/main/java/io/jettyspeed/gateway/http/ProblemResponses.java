package io.jettyspeed.gateway.http;

import io.jettyspeed.gateway.problems.FieldError;
import io.jettyspeed.gateway.problems.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a problem document straight to the servlet response, for filters that answer before MVC
 * (and for the container's own errors). An answer given before the body was read closes the
 * connection rather than reading the rest of the body ({@link Connections}).
 */
public final class ProblemResponses {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProblemResponses() {
    }

    public static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
            String title, String detail, List<FieldError> errors, Duration retryAfter) throws IOException {
        ProblemDetail problem = Problems.of(status, title, detail, request.getRequestURI(), errors);
        response.resetBuffer();
        Connections.closeIfBodyUnread(request, response);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (retryAfter != null) {
            response.setHeader("Retry-After", Problems.retryAfterSeconds(retryAfter));
        }
        response.getOutputStream().write(JSON.writeValueAsBytes(Problems.toMap(problem)));
        response.flushBuffer();
    }
}
