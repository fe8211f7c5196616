package io.jettyspeed.gateway.uploads;

import io.jettyspeed.gateway.publishing.EventPublisher;
import io.jettyspeed.gateway.publishing.OutgoingEvent;
import io.jettyspeed.gateway.security.Caller;
import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.gateway.sessions.SessionIds;
import io.jettyspeed.gateway.sessions.SessionOwnership;
import io.jettyspeed.gateway.validation.Checks;
import io.jettyspeed.gateway.validation.FieldReader;
import io.jettyspeed.gateway.validation.JsonRequests;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadEvent;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Upload lifecycle ({@code track-upload}) and chunk progress ({@code cache-chunk}), seed-compatible. */
@RestController
@RequestMapping(path = "/api/jetty", consumes = MediaType.APPLICATION_JSON_VALUE)
public record UploadController(EventPublisher publisher, Topics topics, JsonRequests requests,
        SessionOwnership ownership, SessionIds sessionIds) {

    @Operation(summary = "Record an upload lifecycle step (start, progress, complete, fail); start returns the sessionId",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TrackUploadBody.class))))
    @PostMapping("/track-upload")
    public Map<String, Object> trackUpload(@RequestBody byte[] body, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        FieldReader root = requests.read(body, caller, "track uploads", Scope.CLIENT);
        UploadEvent event = UploadRequests.uploadEvent(root, sessionIds);
        publishOwned(root.checks(), topics.uploadEvents(), event, UploadEvent::getSessionId, UploadEvent::getUserId);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", true);
        answer.put("sessionId", event.getSessionId());
        answer.put("action", event.getAction().name().toLowerCase(Locale.ROOT));
        answer.put("eventId", event.getEventId());
        answer.put("eventTime", event.getEventTime().toString());
        return answer;
    }

    @Operation(summary = "Record the progress of one chunk, for resume",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = CacheChunkBody.class))))
    @PostMapping("/cache-chunk")
    public Map<String, Object> cacheChunk(@RequestBody byte[] body, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        FieldReader root = requests.read(body, caller, "report chunks", Scope.CLIENT);
        ChunkEvent event = UploadRequests.chunkEvent(root);
        publishOwned(root.checks(), topics.chunkEvents(), event, ChunkEvent::getSessionId, ChunkEvent::getUserId);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", true);
        answer.put("sessionId", event.getSessionId());
        answer.put("chunkIndex", event.getChunkIndex());
        answer.put("status", event.getStatus().name().toLowerCase(Locale.ROOT));
        answer.put("eventId", event.getEventId());
        return answer;
    }

    /**
     * Publishes one event of an upload session, keyed by its session id, once its fields are valid
     * and the session is the acting user's ({@code event} is null only when a field is not).
     */
    private <E> void publishOwned(Checks checks, Topic<String, E> topic, E event, Function<E, String> sessionId,
            Function<E, String> userId) {
        if (event != null) {
            ownership.check(checks, sessionId.apply(event), userId.apply(event), "sessionId");
        }
        checks.throwIfAny();
        publisher.publish(List.of(new OutgoingEvent<>(topic, sessionId.apply(event), event)));
    }

    /** OpenAPI description of a track-upload body. */
    @Schema(name = "TrackUploadRequest")
    public record TrackUploadBody(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"start", "progress", "complete", "fail"}) String action,
            @Schema(description = "Filled from a client key when absent; required for admin keys") String userId,
            @Schema(description = "Required except for start, which must not send one: it returns a new one") String sessionId,
            @Schema(description = "Required for start") String fileName,
            @Schema(description = "Bytes, 0..5 TiB; required for start") Long fileSize,
            @Schema(description = "sha256:<64 hex> or <64 hex>") String fileHash,
            @Schema(description = "Bytes, 64 KiB..1 GiB") Integer chunkSize,
            @Schema(description = "ceil(fileSize / chunkSize), at most 100000") Integer totalChunks,
            Long bytesUploaded,
            @Schema(description = "Known edge ids or direct-storage") List<String> edgeIds,
            @Schema(description = "Why the upload failed (fail); may span lines") String error,
            String deviceId,
            @Schema(allowableValues = {"starter", "pro", "business"}) String plan,
            @Schema(description = "Client event id; a retry with the same id counts once (and a retried start gets the same sessionId)") String eventId,
            @Schema(description = "Event time: ISO-8601 or epoch milliseconds; default now") String timestamp) {
    }

    /** OpenAPI description of a cache-chunk body. */
    @Schema(name = "CacheChunkRequest")
    public record CacheChunkBody(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String sessionId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Integer chunkIndex,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"pending", "uploading", "completed", "failed"}) String status,
            String userId,
            @Schema(description = "Known edge id or direct-storage") String edgeId,
            @Schema(description = "This chunk's size in bytes (alias chunkBytes)") Long chunkSize,
            Long durationMs,
            @Schema(description = "When sent, chunkIndex must be below it") Integer totalChunks,
            String error,
            String eventId,
            String timestamp) {
    }
}
