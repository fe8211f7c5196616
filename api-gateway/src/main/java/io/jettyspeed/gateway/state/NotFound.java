package io.jettyspeed.gateway.state;

import io.jettyspeed.gateway.problems.ProblemException;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpStatus;

/** 404 problems of the read endpoints. */
public final class NotFound {

    private NotFound() {
    }

    public static ProblemException of(String detail) {
        return new ProblemException(HttpStatus.NOT_FOUND, "Not found", detail, List.of(), null);
    }

    /**
     * A 404 from a view, saying how fresh the view was: with {@code state: indexed} when it
     * reflected everything acknowledged before the question (then nothing is known), else
     * {@code state: pending} and {@code Retry-After: 1} (the key may simply not be processed yet).
     * Both carry {@code asOf}.
     *
     * @param nothingKnown the detail, phrased to be completed by "." or " yet: ..." ("No upload session 'x' is known")
     */
    public static ProblemException of(String nothingKnown, FreshReads.Read read) {
        if (read.fresh()) {
            return new ProblemException(HttpStatus.NOT_FOUND, "Not found", nothingKnown + ".", List.of(), null)
                    .with("state", "indexed").with("asOf", read.asOfText());
        }
        return new ProblemException(HttpStatus.NOT_FOUND, "Not found (yet)", nothingKnown
                + " yet: this copy reflects the events acknowledged before asOf and may not have processed later ones; "
                + "retry, or ask with Prefer: wait=<seconds>.", List.of(), Duration.ofSeconds(1))
                .with("state", "pending").with("asOf", read.asOfText());
    }
}
