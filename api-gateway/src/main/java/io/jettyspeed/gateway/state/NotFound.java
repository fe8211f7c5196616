package io.jettyspeed.gateway.state;

import io.jettyspeed.gateway.problems.ProblemException;
import java.util.List;
import org.springframework.http.HttpStatus;

/** 404 problems of the read endpoints. */
public final class NotFound {

    private NotFound() {
    }

    public static ProblemException of(String detail) {
        return new ProblemException(HttpStatus.NOT_FOUND, "Not found", detail, List.of(), null);
    }
}
