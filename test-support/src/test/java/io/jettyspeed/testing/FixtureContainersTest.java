package io.jettyspeed.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

/**
 * The Docker branch without Docker: the containers are configured as the fixtures start them (starting
 * needs an engine, which CI does not have; the choice that leads here is {@link FixtureChoiceTest}'s),
 * and the Docker probe answers in bounded time on any machine.
 */
class FixtureContainersTest {

    @Test
    void shouldRunTheSameKafkaReleaseInTheContainerAsInProcess() {
        // given the Kafka on the test classpath (the in-process broker's release)
        String release = AppInfoParser.getVersion();

        // when (the image name is resolved only when started)
        var container = KafkaContainers.container();

        // then
        assertThat(container).isNotNull();
        assertThat(KafkaContainers.IMAGE).isEqualTo("apache/kafka:" + release);
    }

    @Test
    void shouldConfigureAPostgres15ContainerWithTheTestDatabase() {
        var container = PostgresContainers.container();

        assertThat(PostgresContainers.IMAGE).isEqualTo("postgres:15");
        assertThat(container.getDatabaseName()).isEqualTo(SharedPostgres.DATABASE);
        assertThat(container.getUsername()).isEqualTo("postgres");
    }

    @Test
    void shouldAnswerTheDockerProbeWithinItsTimeout() {
        // when
        long start = System.nanoTime();
        boolean available = FixtureProbes.INSTANCE.dockerAvailable();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // then (either answer is right; hanging is not)
        System.err.println("docker probe: " + available + " in " + took.toMillis() + " ms");
        assertThat(took).isLessThan(FixtureProbes.DOCKER_TIMEOUT.plusSeconds(2));
    }
}
