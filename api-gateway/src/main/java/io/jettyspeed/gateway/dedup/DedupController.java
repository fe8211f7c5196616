package io.jettyspeed.gateway.dedup;

import io.jettyspeed.gateway.publishing.EventPublisher;
import io.jettyspeed.gateway.publishing.OutgoingEvent;
import io.jettyspeed.gateway.security.Caller;
import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.gateway.state.PreferWait;
import io.jettyspeed.gateway.validation.FieldReader;
import io.jettyspeed.gateway.validation.JsonRequests;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.DedupCheckSource;
import io.jettyspeed.schemas.Topics;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code check-duplicate}: is this content already stored? Answers from the dedup index. A hit is
 * an instant clone, a fact the client relies on: its {@link DedupCheck} is published and the answer
 * waits for Kafka's acknowledgement. A miss records nothing and waits on nothing.
 */
@RestController
public record DedupController(EventPublisher publisher, Topics topics, JsonRequests requests, DedupChecks dedup) {

    @Operation(summary = "Whether the content is already stored (dedup); a hit records an instant clone",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = CheckDuplicateBody.class))))
    @PreferWait
    @PostMapping(path = "/api/jetty/check-duplicate", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> checkDuplicate(@RequestBody byte[] body, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        FieldReader root = requests.read(body, caller, "check for duplicates", Scope.CLIENT);
        DedupCheck check = DedupRequests.dedupCheck(root, DedupCheckSource.CHECK_DUPLICATE);
        root.checks().throwIfAny();
        DedupAnswer result = dedup.answer(caller, check);
        if (result.isDuplicate()) {
            publisher.publish(List.of(new OutgoingEvent<>(topics.dedupChecks(), check.getFileHash(), check)));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("fileHash", check.getFileHash());
        answer.putAll(result.body());
        answer.put("instantClone", result.isDuplicate());
        if (result.isDuplicate()) {
            answer.put("eventId", check.getEventId());
        }
        return answer;
    }

    /** OpenAPI description of a check-duplicate body. */
    @Schema(name = "CheckDuplicateRequest")
    public record CheckDuplicateBody(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "sha256:<64 hex> or <64 hex>") String fileHash,
            @Schema(description = "Filled from a client key when absent") String userId,
            Long fileSize,
            String fileName,
            String eventId,
            String timestamp) {
    }
}
