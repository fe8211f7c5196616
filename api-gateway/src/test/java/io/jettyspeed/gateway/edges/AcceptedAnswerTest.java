package io.jettyspeed.gateway.edges;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.gateway.publishing.OutgoingEvent;
import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.Topics;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AcceptedAnswerTest {

    private static final Topics TOPICS = Topics.standard();

    @Test
    void shouldListEveryEventIdInOrderWhateverItsLength() {
        // given client ids of every length up to the longest, a generated UUID, and an id only a bug could make
        List<String> ids = new java.util.ArrayList<>(IntStream.rangeClosed(1, 128).mapToObj("a"::repeat).toList());
        ids.add(UUID.randomUUID().toString());
        ids.add("quote\" back\\slash");

        // when
        byte[] answer = EdgeController.acceptedAnswer(ids.stream().map(AcceptedAnswerTest::event).toList());

        // then it is JSON with each id as it was
        JsonNode json = JsonMapper.builder().build().readTree(answer);
        assertThat(json.get("accepted").asInt()).isEqualTo(ids.size());
        assertThat(json.get("eventIds").valueStream().map(JsonNode::stringValue).toList()).isEqualTo(ids);
    }

    private static OutgoingEvent<EdgeMetricSample> event(String eventId) {
        EdgeMetricSample sample = EdgeMetricSample.newBuilder()
                .setEventId(eventId).setEventTime(Instant.EPOCH).setReceivedAt(Instant.EPOCH).setEdgeId("edge-sfo")
                .setLatencyMs(1).setBandwidthMbps(1).setLoad(0).setErrorRate(0).build();
        return new OutgoingEvent<>(TOPICS.edgeMetrics(), sample.getEdgeId(), sample);
    }
}
