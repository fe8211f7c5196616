package io.jettyspeed.processors;

import io.jettyspeed.processors.errors.OutputGuard;
import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One topology under test, on a TopologyTestDriver of its own for each test: built as production builds
 * it over the test catalogue, with the production exception handlers (their dead letters in {@link
 * #handlerDeadLetters()}), its state in a directory of its own ({@link MemoryTempDirs}) that goes away
 * with the driver after the test. Register it as a field:
 *
 * <pre>{@code @RegisterExtension
 * final TopologyFixture topology = TopologyFixture.of(EdgeHealthTopology::build, EdgeHealthConfig.defaults());}</pre>
 *
 * <p>The driver starts at its first use, so that a test can choose its output guard before.
 */
public final class TopologyFixture implements AfterEachCallback {

    private final Topics topics = Topics.of("test.", 6);
    private final Build build;
    private Supplier<StreamsBuilder> builder = StreamsBuilder::new;
    private OutputGuard guard = OutputGuard.standard();
    private MockProducer<byte[], byte[]> handlerLetters;
    private TopologyTestDriver driver;
    private Path stateDir;

    private TopologyFixture(Build build) {
        this.build = build;
    }

    public static <C> TopologyFixture of(TestDrivers.TopologyFactory<C> factory, C config) {
        return new TopologyFixture((builder, topics, guard) -> factory.build(builder, topics, config, guard));
    }

    /** Aggregating processors throw for a record with id {@value FaultInjection#POISON} ({@link FaultInjection}). */
    public TopologyFixture withFaultInjection() {
        builder = TestDrivers::builderWithFaultInjection;
        return this;
    }

    /** The output guard of the topology (default {@link OutputGuard#standard()}); before the driver's first use. */
    public TopologyFixture guard(OutputGuard guard) {
        if (driver != null) {
            throw new IllegalStateException("the driver has started; choose the guard before its first use");
        }
        this.guard = guard;
        return this;
    }

    public Topics topics() {
        return topics;
    }

    public TopologyTestDriver driver() {
        if (driver == null) {
            stateDir = MemoryTempDirs.create();
            handlerLetters = TestDrivers.deadLetterProducer();
            driver = TestDrivers.driver(build.topology(builder.get(), topics, guard), stateDir, handlerLetters);
        }
        return driver;
    }

    public <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return TestDrivers.input(driver(), topic);
    }

    public TestInputTopic<byte[], byte[]> rawInput(Topic<?, ?> topic) {
        return TestDrivers.rawInput(driver(), topic);
    }

    public <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
        return TestDrivers.output(driver(), topic);
    }

    /** What the topology itself dead-lettered from {@code source}. */
    public TestOutputTopic<byte[], DeadLetter> deadLetters(Topic<?, ?> source) {
        return TestDrivers.deadLetters(driver(), source);
    }

    /** The dead letters Kafka Streams' exception handlers wrote, with the topic each went to. */
    public List<Map.Entry<String, DeadLetter>> handlerDeadLetters() {
        driver();
        return TestDrivers.handlerDeadLetters(handlerLetters);
    }

    public <K, V> KeyValueStore<K, V> store(String name) {
        return driver().getKeyValueStore(name);
    }

    /** See {@link TestDrivers#dropped}. */
    public double dropped(String processor, String reason) {
        return TestDrivers.dropped(driver(), processor, reason);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (driver == null) {
            return;
        }
        try {
            driver.close();
        } finally {
            driver = null;
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(TopologyFixture::delete);
            }
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface Build {
        org.apache.kafka.streams.Topology topology(StreamsBuilder builder, Topics topics, OutputGuard guard);
    }
}
