package io.jettyspeed.gateway.http;

import io.jettyspeed.gateway.problems.Problems;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application's error page ({@code /error}, reached by an ERROR dispatch when something calls
 * {@code sendError} or an exception escapes the filters): a problem document with the gateway's
 * shape, in place of Spring Boot's {@code BasicErrorController} JSON. Reached directly (a REQUEST
 * dispatch to {@code /error}) it needs an API key like everything else that is not public.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer number && number >= 400 && number <= 599 ? number : 500;
        if (code == null) {
            status = 404;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = status >= 500 ? "The request could not be processed; it is safe to retry with the same eventId."
                : title + ".";
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(Problems.toMap(Problems.of(HttpStatusCode.valueOf(status), title, detail,
                uri == null ? request.getRequestURI() : uri.toString(), List.of())), headers, status);
    }
}
