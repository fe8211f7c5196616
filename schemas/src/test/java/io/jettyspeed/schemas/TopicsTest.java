package io.jettyspeed.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void shouldDefineEveryIngestTopicWithSixPartitionsAndADeadLetterTopic() {
        Topics topics = Topics.standard();

        assertThat(topics.ingestTopics()).extracting(Topic::name).containsExactly(
                "jetty.upload-events.v1", "jetty.chunk-events.v1", "jetty.edge-metrics.v1", "jetty.dedup-checks.v1");
        assertThat(topics.all()).allMatch(topic -> topic.partitions() == 6);
        assertThat(topics.all()).extracting(Topic::name).contains("jetty.chunk-events.v1-dlt");
    }

    @Test
    void shouldPrefixEveryNameSoTestsGetTopicsOfTheirOwn() {
        Topics topics = Topics.of("it-42.", 3);

        assertThat(topics.all()).extracting(Topic::name).allMatch(name -> name.startsWith("it-42."));
        assertThat(topics.uploadEvents().partitions()).isEqualTo(3);
    }
}
