package io.jettyspeed.gateway.events;

import io.jettyspeed.gateway.dedup.DedupAnswer;
import io.jettyspeed.gateway.dedup.DedupChecks;
import io.jettyspeed.gateway.dedup.DedupRequests;
import io.jettyspeed.gateway.edges.EdgeMetricRequests;
import io.jettyspeed.gateway.publishing.EventPublisher;
import io.jettyspeed.gateway.publishing.OutgoingEvent;
import io.jettyspeed.gateway.security.Caller;
import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.gateway.sessions.SessionIds;
import io.jettyspeed.gateway.sessions.SessionOwnership;
import io.jettyspeed.gateway.uploads.UploadRequests;
import io.jettyspeed.gateway.validation.Checks;
import io.jettyspeed.gateway.validation.FieldReader;
import io.jettyspeed.gateway.validation.JsonRequests;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.DedupCheckSource;
import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadEvent;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code events}: a batch of mixed events for clients that buffer. Every event is validated (and
 * authorised) before any is published; then all are published and the answer waits for all
 * acknowledgements. Any failure fails the whole request, and the eventIds make the retry safe.
 *
 * <p>A {@code dedup-check} is answered like {@code check-duplicate}: only a hit (an instant clone) is
 * published; a miss is reported in the answer's {@code events} entry and recorded nowhere.
 */
@RestController
public record EventsController(EventPublisher publisher, Topics topics, JsonRequests requests,
        SessionOwnership ownership, SessionIds sessionIds, DedupChecks dedup) {

    static final Map<String, EventType> TYPES = types();

    @Operation(summary = "A batch of up to 500 mixed events (upload, chunk, edge-metric, dedup-check)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = EventsBody.class))))
    @PostMapping(path = "/api/jetty/events", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> events(@RequestBody byte[] body,
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        FieldReader root = requests.read(body, caller, "send events", Scope.CLIENT, Scope.EDGE);
        Checks checks = root.checks();
        List<OutgoingEvent<?>> events = new ArrayList<>();
        List<Map<String, Object>> results = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        TYPES.keySet().forEach(type -> counts.put(type, 0));
        List<FieldReader> elements = requests.batch(root, "events");
        for (int i = 0; i < elements.size(); i++) {
            FieldReader element = elements.get(i);
            EventType type = element.oneOf("type", TYPES, true);
            if (type == null) {
                continue;
            }
            if (!caller.hasAny(type.scope)) {
                checks.forbidden(element.path("type"), "this key may not send " + type.label
                        + " events; they need the " + type.scope.dbName() + " or admin scope");
                continue;
            }
            OutgoingEvent<?> event = read(type, element);
            if (event == null) {
                continue;
            }
            counts.merge(type.label, 1, Integer::sum);
            Map<String, Object> result = result(element.location(), type, event);
            if (event.value() instanceof DedupCheck check) {
                DedupAnswer answer = dedup.answer(caller, check);
                result.put("isDuplicate", answer.isDuplicate());
                result.put("state", answer.body().get("state"));
                result.put("recorded", answer.isDuplicate());
                if (!answer.isDuplicate()) {
                    result.remove("eventId");
                    results.add(result);
                    continue;
                }
            }
            events.add(event);
            results.add(result);
        }
        checks.throwIfAny();
        publisher.publish(events);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", results.size());
        answer.put("published", events.size());
        answer.put("counts", counts);
        answer.put("events", results);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(answer);
    }

    private OutgoingEvent<?> read(EventType type, FieldReader element) {
        return switch (type) {
            case UPLOAD -> {
                UploadEvent e = UploadRequests.uploadEvent(element, sessionIds);
                if (e != null) {
                    ownership.check(element.checks(), e.getSessionId(), e.getUserId(), element.path("sessionId"));
                }
                yield e == null ? null : new OutgoingEvent<>(topics.uploadEvents(), e.getSessionId(), e);
            }
            case CHUNK -> {
                ChunkEvent e = UploadRequests.chunkEvent(element);
                if (e != null) {
                    ownership.check(element.checks(), e.getSessionId(), e.getUserId(), element.path("sessionId"));
                }
                yield e == null ? null : new OutgoingEvent<>(topics.chunkEvents(), e.getSessionId(), e);
            }
            case EDGE_METRIC -> {
                EdgeMetricSample e = EdgeMetricRequests.sample(element);
                yield e == null ? null : new OutgoingEvent<>(topics.edgeMetrics(), e.getEdgeId(), e);
            }
            case DEDUP_CHECK -> {
                DedupCheck e = DedupRequests.dedupCheck(element, DedupCheckSource.CHECK_DUPLICATE);
                yield e == null ? null : new OutgoingEvent<>(topics.dedupChecks(), e.getFileHash(), e);
            }
        };
    }

    private static Map<String, Object> result(String path, EventType type, OutgoingEvent<?> event) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("index", Integer.parseInt(path.substring(path.lastIndexOf('[') + 1, path.lastIndexOf(']'))));
        result.put("type", type.label);
        Object value = event.value();
        if (value instanceof UploadEvent e) {
            result.put("eventId", e.getEventId());
            result.put("sessionId", e.getSessionId());
        } else if (value instanceof ChunkEvent e) {
            result.put("eventId", e.getEventId());
        } else if (value instanceof EdgeMetricSample e) {
            result.put("eventId", e.getEventId());
        } else if (value instanceof DedupCheck e) {
            result.put("eventId", e.getEventId());
        }
        return result;
    }

    private static Map<String, EventType> types() {
        Map<String, EventType> types = new LinkedHashMap<>();
        for (EventType type : EventType.values()) {
            types.put(type.label, type);
        }
        return java.util.Collections.unmodifiableMap(types);
    }

    enum EventType {
        UPLOAD("upload", Scope.CLIENT),
        CHUNK("chunk", Scope.CLIENT),
        EDGE_METRIC("edge-metric", Scope.EDGE),
        DEDUP_CHECK("dedup-check", Scope.CLIENT);

        final String label;
        final Scope scope;

        EventType(String label, Scope scope) {
            this.label = label;
            this.scope = scope;
        }
    }

    /** OpenAPI description of an events body. */
    @Schema(name = "EventsRequest")
    public record EventsBody(@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
            description = "1..500 objects, each with type upload|chunk|edge-metric|dedup-check and the fields of "
                    + "track-upload, cache-chunk, an edge-metrics sample or check-duplicate") List<Map<String, Object>> events) {
    }
}
