package io.jettyspeed.processors;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

/**
 * Every operator, store and internal topic has a chosen name; this keeps them from changing by
 * accident (a rename changes changelog and repartition topics, which is a migration).
 */
class TopologyDescriptionTest {

    private static final Path DIR = Path.of("src/test/resources/topologies");

    @Test
    void shouldMatchTheCommittedTopologyDescriptions() throws IOException {
        // given
        ProcessorsProperties properties = new ProcessorsProperties("jetty-stream-processors", "localhost:9092",
                "/tmp/unused", 0, 1, "", java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(15),
                java.time.Duration.ofMinutes(30), java.time.Duration.ofMinutes(10), "https://storage.jettyspeed.io/files",
                "exactly_once_v2", java.time.Duration.ofDays(7), java.time.Duration.ofMinutes(5), 1_000_000,
                "test-instance", java.time.Duration.ofSeconds(30), true, org.springframework.util.unit.DataSize.ofMegabytes(32),
                org.springframework.util.unit.DataSize.ofMegabytes(4), 6, null);

        // when
        Map<String, Topology> topologies = ProcessorTopologies.build(Topics.standard(), properties);

        // then
        for (Map.Entry<String, Topology> entry : topologies.entrySet()) {
            Path file = DIR.resolve(entry.getKey() + ".txt");
            String actual = entry.getValue().describe().toString();
            if (Boolean.getBoolean("regenerateTopologies")) {
                Files.createDirectories(DIR);
                Files.writeString(file, actual);
            }
            assertThat(file).as("committed description of %s", entry.getKey()).exists();
            assertThat(actual)
                    .as("topology %s changed; if intended, regenerate with "
                            + "mvn -pl stream-processors test -Dtest=TopologyDescriptionTest -DregenerateTopologies=true "
                            + "and review the diff of %s", entry.getKey(), file)
                    .isEqualTo(Files.readString(file));
        }
    }
}
