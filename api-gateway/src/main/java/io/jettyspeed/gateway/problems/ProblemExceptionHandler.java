package io.jettyspeed.gateway.problems;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error MVC sees into an RFC 9457 problem document with the gateway's shape (see
 * {@link Problems}); unexpected exceptions become a bare 500 without internals.
 */
@RestControllerAdvice
public class ProblemExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    @ExceptionHandler(ProblemException.class)
    public ResponseEntity<Object> handleProblem(ProblemException ex, HttpServletRequest request) {
        ResponseEntity<Object> response = problem(ex.status(), ex.title(), ex.getMessage(), request.getRequestURI(),
                ex.errors(), ex.retryAfter(), new HttpHeaders());
        if (!ex.properties().isEmpty() && response.getBody() instanceof Map<?, ?> body) {
            @SuppressWarnings("unchecked")
            Map<String, Object> members = (Map<String, Object>) body;
            ex.properties().forEach(members::putIfAbsent);
        }
        return response;
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<Object> handleUnexpected(Exception ex, HttpServletRequest request) {
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "The request could not be processed; it is safe to retry with the same eventId.",
                request.getRequestURI(), List.of(), null, new HttpHeaders());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", "The request body is missing or unreadable.",
                uri(request), List.of(new FieldError("body", "is required and must be a JSON object")), null,
                new HttpHeaders());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String sent = ex.getContentType() == null ? "none" : ex.getContentType().toString();
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
                "Content type '" + sent + "' is not supported; send Content-Type: application/json.", uri(request),
                List.of(new FieldError("Content-Type", "must be application/json")), null, headers);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        String detail = body instanceof ProblemDetail pd && pd.getDetail() != null ? pd.getDetail()
                : HttpStatus.valueOf(statusCode.value()).getReasonPhrase();
        String title = HttpStatus.valueOf(statusCode.value()).getReasonPhrase();
        return problem(statusCode, title, detail, uri(request), List.of(), null, headers);
    }

    private static ResponseEntity<Object> problem(HttpStatusCode status, String title, String detail,
            String instance, List<FieldError> errors, Duration retryAfter, HttpHeaders headers) {
        HttpHeaders out = new HttpHeaders();
        if (headers != null) {
            out.putAll(headers);
        }
        out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retryAfter != null) {
            out.set(HttpHeaders.RETRY_AFTER, Problems.retryAfterSeconds(retryAfter));
        }
        Map<String, Object> body = Problems.toMap(Problems.of(status, title, detail, instance, errors));
        return new ResponseEntity<>(body, out, status);
    }

    private static String uri(WebRequest request) {
        return request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : null;
    }
}
