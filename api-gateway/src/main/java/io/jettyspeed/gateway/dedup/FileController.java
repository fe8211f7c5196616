package io.jettyspeed.gateway.dedup;

import io.jettyspeed.gateway.problems.FieldError;
import io.jettyspeed.gateway.problems.ProblemException;
import io.jettyspeed.gateway.security.Caller;
import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.gateway.state.AggregateViews;
import io.jettyspeed.gateway.state.FreshReads;
import io.jettyspeed.gateway.state.PreferWait;
import io.jettyspeed.gateway.state.RecordAnswer;
import io.jettyspeed.gateway.state.ViewKind;
import io.jettyspeed.schemas.FileHash;
import io.jettyspeed.schemas.StoredFile;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/jetty/files/{fileHash}}: the dedup index's whole record of one content hash,
 * owner included, for analysts and operators. Client keys use {@code check-duplicate}, which never
 * names another user as the owner. Says how fresh it is ({@code asOf}) like the other reads.
 */
@RestController
public record FileController(AggregateViews views, FreshReads reads) {

    @PreferWait
    @GetMapping("/api/jetty/files/{fileHash}")
    public Map<String, Object> file(@PathVariable String fileHash, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        caller.require("read the dedup index", Scope.ANALYST);
        String hash = FileHash.normalise(fileHash).orElseThrow(() -> ProblemException.invalid(List.of(new FieldError(
                "fileHash", "must be a SHA-256 hash: 64 hex characters, optionally prefixed with sha256:"))));
        return reads.lookup(ViewKind.FILE_INDEX, () -> views.storedFile(hash))
                .answer("No stored file with hash " + hash + " is known", FileController::describe);
    }

    private static Map<String, Object> describe(StoredFile file) {
        return RecordAnswer.of(file).copy("fileHash", "ownerUserId", "sessionId", "fileName", "fileSize", "location",
                "firstSeen", "lastReferencedAt", "referenceCount", "cloneCount", "bytesSaved", "secondsSaved").body();
    }
}
