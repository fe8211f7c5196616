package io.jettyspeed.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jettyspeed.testing.FixtureChoice.KafkaSource;
import io.jettyspeed.testing.FixtureChoice.PostgresSource;
import io.jettyspeed.testing.FixtureChoice.Unavailable;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every branch of the fixture choice, with fake probes that also record whether they were asked. */
class FixtureChoiceTest {

    /** Probes with fixed answers that count how often they are asked. */
    static final class FakeProbes implements FixtureChoice.Probes {
        final boolean docker;
        final boolean localPostgres;
        int dockerAsked;
        int localPostgresAsked;

        FakeProbes(boolean docker, boolean localPostgres) {
            this.docker = docker;
            this.localPostgres = localPostgres;
        }

        @Override
        public boolean dockerAvailable() {
            dockerAsked++;
            return docker;
        }

        @Override
        public boolean localPostgresReachable() {
            localPostgresAsked++;
            return localPostgres;
        }
    }

    static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    // ---- Kafka, by default

    @Test
    void shouldUseTheExternalBrokerWhenItsBootstrapIsSetWithoutAskingDocker() {
        // given
        FakeProbes probes = new FakeProbes(true, true);

        // when
        var decision = FixtureChoice.kafka(env("JETTY_TEST_KAFKA_BOOTSTRAP", "broker:9092"), probes);

        // then
        assertThat(decision.source()).isEqualTo(KafkaSource.EXTERNAL);
        assertThat(decision.reason()).contains("JETTY_TEST_KAFKA_BOOTSTRAP is set");
        assertThat(probes.dockerAsked).isZero();
    }

    @Test
    void shouldStartAKafkaContainerWhenDockerAnswersAndNoBootstrapIsSet() {
        var decision = FixtureChoice.kafka(env(), new FakeProbes(true, false));

        assertThat(decision.source()).isEqualTo(KafkaSource.TESTCONTAINERS);
        assertThat(decision.reason()).contains("a Docker engine answers");
    }

    @Test
    void shouldStartTheInProcessBrokerWithoutDockerAndWithoutBootstrap() {
        var decision = FixtureChoice.kafka(env("JETTY_TEST_KAFKA_BOOTSTRAP", "  "), new FakeProbes(false, true));

        assertThat(decision.source()).isEqualTo(KafkaSource.IN_PROCESS);
        assertThat(decision.reason()).contains("no Docker engine answers");
    }

    // ---- Kafka, forced

    @Test
    void shouldUseTheExternalBrokerWhenForcedAndSet() {
        FakeProbes probes = new FakeProbes(true, true);

        var decision = FixtureChoice.kafka(env("JETTY_TEST_KAFKA", "external", "JETTY_TEST_KAFKA_BOOTSTRAP", "b:9092"), probes);

        assertThat(decision.source()).isEqualTo(KafkaSource.EXTERNAL);
        assertThat(decision.reason()).contains("forced by JETTY_TEST_KAFKA=external");
        assertThat(probes.dockerAsked).isZero();
    }

    @Test
    void shouldFailWhenExternalIsForcedWithoutABootstrap() {
        assertThatThrownBy(() -> FixtureChoice.kafka(env("JETTY_TEST_KAFKA", "external"), new FakeProbes(true, true)))
                .isInstanceOf(Unavailable.class)
                .hasMessageContaining("JETTY_TEST_KAFKA=external but JETTY_TEST_KAFKA_BOOTSTRAP is not set");
    }

    @Test
    void shouldUseAContainerWhenForcedAndDockerAnswersEvenIfABootstrapIsSet() {
        var decision = FixtureChoice.kafka(env("JETTY_TEST_KAFKA", "testcontainers", "JETTY_TEST_KAFKA_BOOTSTRAP", "b:9092"),
                new FakeProbes(true, false));

        assertThat(decision.source()).isEqualTo(KafkaSource.TESTCONTAINERS);
    }

    @Test
    void shouldFailRatherThanFallBackWhenTestcontainersIsForcedWithoutDocker() {
        assertThatThrownBy(() -> FixtureChoice.kafka(env("JETTY_TEST_KAFKA", "testcontainers"), new FakeProbes(false, true)))
                .isInstanceOf(Unavailable.class)
                .hasMessageContaining("JETTY_TEST_KAFKA=testcontainers but no Docker engine answers");
    }

    @Test
    void shouldUseTheInProcessBrokerWhenForcedWithoutAskingDockerAndSayThatTheBootstrapIsIgnored() {
        FakeProbes probes = new FakeProbes(true, true);

        var decision = FixtureChoice.kafka(env("JETTY_TEST_KAFKA", "In-Process", "JETTY_TEST_KAFKA_BOOTSTRAP", "b:9092"), probes);

        assertThat(decision.source()).isEqualTo(KafkaSource.IN_PROCESS);
        assertThat(decision.reason()).contains("forced by JETTY_TEST_KAFKA=in-process", "JETTY_TEST_KAFKA_BOOTSTRAP ignored");
        assertThat(probes.dockerAsked).isZero();
    }

    @Test
    void shouldRefuseAnUnknownKafkaChoiceNamingTheValidOnes() {
        assertThatThrownBy(() -> FixtureChoice.kafka(env("JETTY_TEST_KAFKA", "docker"), new FakeProbes(true, true)))
                .isInstanceOf(Unavailable.class)
                .hasMessage("JETTY_TEST_KAFKA=docker is not one of external|testcontainers|in-process");
    }

    // ---- PostgreSQL, by default

    @Test
    void shouldUseTheExternalDatabaseWhenItsUrlIsSetWithoutProbing() {
        FakeProbes probes = new FakeProbes(true, true);

        var decision = FixtureChoice.postgres(env("JETTY_TEST_DB_URL", "jdbc:postgresql://db:5432/t"), probes);

        assertThat(decision.source()).isEqualTo(PostgresSource.EXTERNAL);
        assertThat(decision.reason()).contains("JETTY_TEST_DB_URL is set");
        assertThat(probes.localPostgresAsked + probes.dockerAsked).isZero();
    }

    @Test
    void shouldUseTheLocalServerWhenItAnswersWithoutAskingDocker() {
        FakeProbes probes = new FakeProbes(true, true);

        var decision = FixtureChoice.postgres(env(), probes);

        assertThat(decision.source()).isEqualTo(PostgresSource.LOCAL);
        assertThat(probes.dockerAsked).isZero();
    }

    @Test
    void shouldStartAPostgresContainerWhenNothingAnswersLocallyButDockerDoes() {
        var decision = FixtureChoice.postgres(env(), new FakeProbes(true, false));

        assertThat(decision.source()).isEqualTo(PostgresSource.TESTCONTAINERS);
        assertThat(decision.reason()).contains("localhost:5432 does not answer", "a Docker engine answers");
    }

    @Test
    void shouldFailWithOneClearLineWhenNoPostgresCanBeHad() {
        assertThatThrownBy(() -> FixtureChoice.postgres(env(), new FakeProbes(false, false)))
                .isInstanceOf(Unavailable.class)
                .hasMessageStartingWith("no PostgreSQL for the tests: ")
                .hasMessageContaining("set JETTY_TEST_DB_URL")
                .hasMessageNotContaining("\n");
    }

    // ---- PostgreSQL, forced

    @Test
    void shouldUseTheExternalDatabaseWhenForcedAndSet() {
        var decision = FixtureChoice.postgres(env("JETTY_TEST_DB", "external", "JETTY_TEST_DB_URL", "jdbc:postgresql://db/t"),
                new FakeProbes(false, false));

        assertThat(decision.source()).isEqualTo(PostgresSource.EXTERNAL);
    }

    @Test
    void shouldFailWhenExternalDatabaseIsForcedWithoutAUrl() {
        assertThatThrownBy(() -> FixtureChoice.postgres(env("JETTY_TEST_DB", "external"), new FakeProbes(true, true)))
                .isInstanceOf(Unavailable.class)
                .hasMessageContaining("JETTY_TEST_DB=external but JETTY_TEST_DB_URL is not set");
    }

    @Test
    void shouldUseTheLocalServerWhenForcedEvenIfAUrlIsSet() {
        var decision = FixtureChoice.postgres(env("JETTY_TEST_DB", "local", "JETTY_TEST_DB_URL", "jdbc:postgresql://db/t"),
                new FakeProbes(false, true));

        assertThat(decision.source()).isEqualTo(PostgresSource.LOCAL);
        assertThat(decision.reason()).contains("JETTY_TEST_DB_URL ignored");
    }

    @Test
    void shouldFailWhenTheLocalServerIsForcedButDoesNotAnswer() {
        assertThatThrownBy(() -> FixtureChoice.postgres(env("JETTY_TEST_DB", "local"), new FakeProbes(true, false)))
                .isInstanceOf(Unavailable.class)
                .hasMessageContaining("JETTY_TEST_DB=local but nothing answers on localhost:5432");
    }

    @Test
    void shouldUseAContainerWhenForcedAndDockerAnswersEvenIfTheLocalServerAnswers() {
        FakeProbes probes = new FakeProbes(true, true);

        var decision = FixtureChoice.postgres(env("JETTY_TEST_DB", "testcontainers"), probes);

        assertThat(decision.source()).isEqualTo(PostgresSource.TESTCONTAINERS);
        assertThat(probes.localPostgresAsked).isZero();
    }

    @Test
    void shouldFailRatherThanFallBackWhenAPostgresContainerIsForcedWithoutDocker() {
        assertThatThrownBy(() -> FixtureChoice.postgres(env("JETTY_TEST_DB", "testcontainers"), new FakeProbes(false, true)))
                .isInstanceOf(Unavailable.class)
                .hasMessageContaining("JETTY_TEST_DB=testcontainers but no Docker engine answers");
    }

    @Test
    void shouldRefuseAnUnknownDatabaseChoiceNamingTheValidOnes() {
        assertThatThrownBy(() -> FixtureChoice.postgres(env("JETTY_TEST_DB", "h2"), new FakeProbes(true, true)))
                .isInstanceOf(Unavailable.class)
                .hasMessage("JETTY_TEST_DB=h2 is not one of external|local|testcontainers");
    }
}
