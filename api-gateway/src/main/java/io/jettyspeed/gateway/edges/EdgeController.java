package io.jettyspeed.gateway.edges;

import io.jettyspeed.gateway.dedup.DedupAnswer;
import io.jettyspeed.gateway.dedup.DedupChecks;
import io.jettyspeed.gateway.dedup.DedupRequests;
import io.jettyspeed.gateway.publishing.EventPublisher;
import io.jettyspeed.gateway.publishing.OutgoingEvent;
import io.jettyspeed.gateway.security.Caller;
import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.gateway.text.Text;
import io.jettyspeed.gateway.validation.FieldReader;
import io.jettyspeed.gateway.validation.JsonRequests;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.DedupCheckSource;
import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.Topics;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.util.function.SingletonSupplier;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * {@code optimal-edges} (where to upload) and {@code edge-metrics} (probe samples). optimal-edges is
 * a pure read: it answers from the local copies of edge health and the dedup index and publishes
 * nothing (the processors record nothing for it), so it never waits on Kafka.
 */
@RestController
@RequestMapping(path = "/api/jetty", consumes = MediaType.APPLICATION_JSON_VALUE)
public record EdgeController(EventPublisher publisher, Topics topics, JsonRequests requests,
        Supplier<EdgeChooser> chooser, DedupChecks dedup) {

    /** The chooser is looked up once: a bean factory look-up per request was 7 % of a read's CPU. */
    @Autowired
    public EdgeController(EventPublisher publisher, Topics topics, JsonRequests requests,
            ObjectProvider<EdgeChooser> chooser, DedupChecks dedup) {
        this(publisher, topics, requests, SingletonSupplier.of(() -> chooser.getIfUnique(UnavailableEdgeChooser::new)), dedup);
    }

    private static final JsonStringEncoder JSON_STRINGS = JsonStringEncoder.getInstance();

    @Operation(summary = "The edges to upload through (weighted), the dedup answer, and a chunk size and parallelism",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = OptimalEdgesBody.class))))
    @PostMapping("/optimal-edges")
    public Map<String, Object> optimalEdges(@RequestBody byte[] body, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        FieldReader root = requests.read(body, caller, "ask for edges", Scope.CLIENT);
        DedupCheck check = DedupRequests.dedupCheck(root, DedupCheckSource.OPTIMAL_EDGES);
        root.checks().throwIfAny();

        EdgeRecommendation recommendation = chooser.get()
                .choose(check.getUserLat(), check.getUserLng(), check.getFileSize());
        UploadPlan plan = UploadPlan.forFileSize(check.getFileSize());
        DedupAnswer dedupAnswer = dedup.answer(caller, check);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("fileHash", check.getFileHash());
        answer.put("isDuplicate", dedupAnswer.isDuplicate());
        answer.put("dedup", dedupAnswer.body());
        answer.put("edges", recommendation.edges());
        answer.put("degraded", recommendation.degraded());
        if (recommendation.reason() != null) {
            answer.put("reason", recommendation.reason());
        }
        answer.put("chunkSize", plan.chunkSize());
        answer.put("totalChunks", plan.totalChunks());
        answer.put("parallelism", plan.parallelism());
        return answer;
    }

    @Operation(summary = "A batch of edge probe samples (edge or admin keys)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = EdgeMetricsBody.class))))
    @ApiResponse(responseCode = "202", description = "Every sample acknowledged by Kafka", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AcceptedSamples.class)))
    @PostMapping("/edge-metrics")
    public ResponseEntity<byte[]> edgeMetrics(@RequestBody byte[] body,
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        FieldReader root = requests.read(body, caller, "report edge metrics", Scope.EDGE);
        List<OutgoingEvent<EdgeMetricSample>> events = new ArrayList<>();
        for (FieldReader sample : requests.batch(root, "samples")) {
            EdgeMetricSample event = EdgeMetricRequests.sample(sample);
            if (event != null) {
                events.add(new OutgoingEvent<>(topics.edgeMetrics(), event.getEdgeId(), event));
            }
        }
        root.checks().throwIfAny();
        publisher.publish(events);
        // Written directly, not as a Map through content negotiation and Jackson: the answer has a
        // fixed shape, and this is the gateway's busiest endpoint.
        return ResponseEntity.status(HttpStatus.ACCEPTED).contentType(MediaType.APPLICATION_JSON)
                .body(acceptedAnswer(events));
    }

    /** {@code {"accepted":n,"eventIds":[...]}}. */
    static byte[] acceptedAnswer(List<OutgoingEvent<EdgeMetricSample>> events) {
        // Sized for the answer as written (a builder that grew copied itself: 7 % of a batch's samples).
        int length = 32;
        for (OutgoingEvent<EdgeMetricSample> event : events) {
            length += event.value().getEventId().length() + 3;
        }
        StringBuilder json = new StringBuilder(length);
        json.append("{\"accepted\":").append(events.size()).append(",\"eventIds\":[");
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            String eventId = events.get(i).value().getEventId();
            json.append('"');
            if (Text.isId(eventId)) {
                json.append(eventId); // a client's id (FieldReader.id) or a UUID: nothing to escape
            } else {
                JSON_STRINGS.quoteAsString(eventId, json);
            }
            json.append('"');
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** OpenAPI description of an optimal-edges body. */
    @Schema(name = "OptimalEdgesRequest")
    public record OptimalEdgesBody(
            @Schema(description = "Filled from a client key when absent") String userId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Bytes, 0..5 TiB") Long fileSize,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "sha256:<64 hex> or <64 hex>") String fileHash,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Location userLocation,
            String eventId,
            String timestamp) {
    }

    /** Latitude -90..90 and longitude -180..180, in degrees. */
    public record Location(double lat, double lng) {
    }

    /** OpenAPI description of the edge-metrics answer. */
    @Schema(name = "AcceptedSamples")
    public record AcceptedSamples(int accepted, List<String> eventIds) {
    }

    /** OpenAPI description of an edge-metrics body. */
    @Schema(name = "EdgeMetricsRequest")
    public record EdgeMetricsBody(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "1..500 samples") List<Sample> samples) {
    }

    /** One probe sample. */
    public record Sample(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "edge-sfo") String edgeId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Double latencyMs,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Double bandwidthMbps,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "0..1") Double load,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "0..1") Double errorRate,
            Integer activeConnections,
            String eventId,
            String timestamp) {
    }
}
