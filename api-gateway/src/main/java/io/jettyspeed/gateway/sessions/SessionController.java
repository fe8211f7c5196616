package io.jettyspeed.gateway.sessions;

import io.jettyspeed.gateway.problems.FieldError;
import io.jettyspeed.gateway.problems.ProblemException;
import io.jettyspeed.gateway.security.Caller;
import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.gateway.state.AggregateViews;
import io.jettyspeed.gateway.state.FreshReads;
import io.jettyspeed.gateway.state.PreferWait;
import io.jettyspeed.gateway.state.RecordAnswer;
import io.jettyspeed.gateway.state.ViewKind;
import io.jettyspeed.gateway.text.Text;
import io.jettyspeed.schemas.ChunkRange;
import io.jettyspeed.schemas.CompletedChunks;
import io.jettyspeed.schemas.FileHash;
import io.jettyspeed.schemas.SessionStatuses;
import io.jettyspeed.schemas.UploadSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Resume state of an upload session: what is done and which chunk ranges are still missing, by
 * session id or — from another device — by {@code (userId, fileHash)}. Every answer says how fresh
 * it is ({@code asOf}: every event acknowledged before it is reflected); with
 * {@code Prefer: wait=<seconds>} the read first waits for the copy to reflect everything acknowledged
 * before the question, and a 404 says whether the session may simply not be processed yet.
 */
@RestController
public record SessionController(AggregateViews views, FreshReads reads) {

    static final String ID_RULE = "must be 1-128 letters, digits or _ . : @ - and start with a letter or digit";

    @PreferWait
    @GetMapping("/api/jetty/sessions/{sessionId}")
    public Map<String, Object> session(@PathVariable String sessionId,
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        caller.require("read upload sessions", Scope.CLIENT, Scope.ANALYST);
        if (!Text.isId(sessionId)) {
            throw ProblemException.invalid(List.of(new FieldError("sessionId", ID_RULE)));
        }
        return reads.lookup(ViewKind.UPLOAD_SESSIONS, () -> views.session(sessionId))
                .answer("No upload session '" + sessionId + "' is known", session -> {
                    requireOwnUser(caller, session.getUserId());
                    return describe(session);
                });
    }

    @PreferWait
    @GetMapping("/api/jetty/sessions")
    public Map<String, Object> resume(@RequestParam(required = false) String userId,
            @RequestParam(required = false) String fileHash, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        caller.require("read upload sessions", Scope.CLIENT, Scope.ANALYST);
        List<FieldError> invalid = new ArrayList<>();
        String user = userId != null ? userId : caller.isBoundToUser() ? caller.userId() : null;
        if (user == null) {
            invalid.add(new FieldError("userId", "is required"));
        } else if (!Text.isId(user)) {
            invalid.add(new FieldError("userId", ID_RULE));
            user = null;
        }
        String hash = null;
        if (fileHash == null) {
            invalid.add(new FieldError("fileHash", "is required"));
        } else {
            hash = FileHash.normalise(fileHash).orElse(null);
            if (hash == null) {
                invalid.add(new FieldError("fileHash", "must be 'sha256:' followed by 64 hex characters, or 64 hex characters"));
            }
        }
        if (!invalid.isEmpty()) {
            throw ProblemException.invalid(invalid);
        }
        requireOwnUser(caller, user);
        String finalUser = user;
        String finalHash = hash;
        return reads.lookup(ViewKind.UPLOAD_SESSIONS, () -> views.sessionFor(finalUser, finalHash))
                .answer("No upload session of user '" + finalUser + "' for content " + finalHash + " is known",
                        SessionController::describe);
    }

    private static void requireOwnUser(Caller caller, String userId) {
        if (caller.isBoundToUser() && !caller.userId().equals(userId)) {
            throw ProblemException.forbidden("A client key may only read its own user's sessions.", List.of());
        }
    }

    static Map<String, Object> describe(UploadSession s) {
        List<ChunkRange> missing = s.getTotalChunks() == null ? null
                : CompletedChunks.missing(s.getCompletedChunkRanges(), s.getTotalChunks());
        return RecordAnswer.of(s)
                .copy("sessionId", "userId")
                .put("fileHash", s.getFileHash() == null ? null : "sha256:" + s.getFileHash())
                .copy("fileName", "fileSize")
                .put("status", s.getStatus().name().toLowerCase(Locale.ROOT))
                .put("resumable", SessionStatuses.isResumable(s.getStatus()))
                .copy("chunkSize", "totalChunks", "completedChunks", "failedChunks", "bytesUploaded")
                .put("missingChunks", missing == null ? null
                        : missing.stream().map(r -> new MissingRange(r.getFrom(), r.getTo())).toList())
                .put("missingChunkCount", missing == null ? null : CompletedChunks.count(missing))
                .copy("edgesUsed", "deviceId", "startedAt", "updatedAt", "completedAt", "durationMs",
                        "throughputBytesPerSecond", "errorMessage")
                .body();
    }

    /** An inclusive range of chunk indexes still to upload; a record so the JSON reads {"from", "to"}. */
    record MissingRange(int from, int to) {
    }
}
