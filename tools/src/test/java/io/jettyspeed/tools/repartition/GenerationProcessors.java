package io.jettyspeed.tools.repartition;

import io.jettyspeed.processors.ProcessorTopologies;
import io.jettyspeed.processors.ProcessorsProperties;
import io.jettyspeed.processors.StreamsRunner;
import io.jettyspeed.processors.errors.DeadLetterHandlers;
import io.jettyspeed.processors.errors.DeadLetterPublisher;
import io.jettyspeed.processors.errors.DeadLetterRoutes;
import io.jettyspeed.processors.errors.OutputGuard;
import io.jettyspeed.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.springframework.util.unit.DataSize;

/**
 * The four production topologies on one generation of the catalogue, configured as {@link StreamsRunner}
 * configures them ({@link StreamsRunner#streamsConfig}, the dead-lettering handlers), but with the
 * generation's own partition count for the topologies' repartitions: this branch's {@code StreamsRunner}
 * still builds them with {@link Topics#DEFAULT_PARTITIONS}, which a 3-partition generation must not get.
 */
final class GenerationProcessors implements AutoCloseable {

    private final List<KafkaStreams> streams = new ArrayList<>();
    private final DeadLetterPublisher deadLetters;

    private GenerationProcessors(Topics topics, ProcessorsProperties properties, List<String> names) {
        OutputGuard guard = new OutputGuard(properties.maxRecordBytes());
        deadLetters = DeadLetterPublisher.kafka(properties.bootstrapServers(), properties.applicationId() + "-dead-letters");
        for (String name : names) {
            Properties config = StreamsRunner.streamsConfig(properties, name);
            StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(config)));
            Topology topology = ProcessorTopologies.build(name, builder, topics, properties, guard);
            DeadLetterHandlers.configure(config, deadLetters,
                    DeadLetterRoutes.of(topology, config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG)), guard);
            KafkaStreams instance = new KafkaStreams(topology, config);
            streams.add(instance);
            instance.start();
        }
    }

    /**
     * Starts the processors on {@code topics} under their own application id. Edges go stale after an
     * hour here, so that the two generations, compared minutes apart, score their edges by the events alone.
     */
    static GenerationProcessors start(String bootstrapServers, Topics topics, String applicationId,
            Map<String, String> streamsSettings) {
        return start(bootstrapServers, topics, applicationId, streamsSettings, ProcessorTopologies.NAMES);
    }

    /** Only the topologies named ({@link ProcessorTopologies#NAMES}), each its own application as in production. */
    static GenerationProcessors start(String bootstrapServers, Topics topics, String applicationId,
            Map<String, String> streamsSettings, List<String> names) {
        String stateDir;
        try {
            stateDir = Files.createTempDirectory("growth-" + applicationId).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessorsProperties properties = new ProcessorsProperties(applicationId, bootstrapServers, stateDir, 0, 1,
                topics.prefix(), Duration.ofMillis(100), Duration.ofHours(1), Duration.ofMinutes(30),
                Duration.ofMinutes(10), "https://storage.jettyspeed.io/files", "exactly_once_v2", Duration.ofDays(7),
                Duration.ofMinutes(6), OutputGuard.DEFAULT_MAX_RECORD_BYTES, applicationId, Duration.ofSeconds(30), true,
                DataSize.ofMegabytes(32), DataSize.ofMegabytes(4), topics.partitions(), streamsSettings);
        return new GenerationProcessors(topics, properties, names);
    }

    boolean running() {
        return streams.stream().allMatch(instance -> instance.state() == KafkaStreams.State.RUNNING);
    }

    @Override
    public void close() {
        streams.forEach(instance -> instance.close(Duration.ofSeconds(30)));
        deadLetters.close();
    }
}
