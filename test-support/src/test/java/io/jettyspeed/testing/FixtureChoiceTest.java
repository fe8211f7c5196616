package io.jettyspeed.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jettyspeed.testing.FixtureChoice.KafkaSource;
import io.jettyspeed.testing.FixtureChoice.PostgresSource;
import io.jettyspeed.testing.FixtureChoice.Unavailable;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
    void shouldUseAContainerWhenForcedAndDockerAnswersEvenIfABootstrapIsSet() {
        var decision = FixtureChoice.kafka(env("JETTY_TEST_KAFKA", "testcontainers", "JETTY_TEST_KAFKA_BOOTSTRAP", "b:9092"),
                new FakeProbes(true, false));

        assertThat(decision.source()).isEqualTo(KafkaSource.TESTCONTAINERS);
    }

    @Test
    void shouldUseTheInProcessBrokerWhenForcedWithoutAskingDockerAndSayThatTheBootstrapIsIgnored() {
        FakeProbes probes = new FakeProbes(true, true);

        var decision = FixtureChoice.kafka(env("JETTY_TEST_KAFKA", "In-Process", "JETTY_TEST_KAFKA_BOOTSTRAP", "b:9092"), probes);

        assertThat(decision.source()).isEqualTo(KafkaSource.IN_PROCESS);
        assertThat(decision.reason()).contains("forced by JETTY_TEST_KAFKA=in-process", "JETTY_TEST_KAFKA_BOOTSTRAP ignored");
        assertThat(probes.dockerAsked).isZero();
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
    void shouldUseTheLocalServerWhenForcedEvenIfAUrlIsSet() {
        var decision = FixtureChoice.postgres(env("JETTY_TEST_DB", "local", "JETTY_TEST_DB_URL", "jdbc:postgresql://db/t"),
                new FakeProbes(false, true));

        assertThat(decision.source()).isEqualTo(PostgresSource.LOCAL);
        assertThat(decision.reason()).contains("JETTY_TEST_DB_URL ignored");
    }

    @Test
    void shouldUseAContainerWhenForcedAndDockerAnswersEvenIfTheLocalServerAnswers() {
        FakeProbes probes = new FakeProbes(true, true);

        var decision = FixtureChoice.postgres(env("JETTY_TEST_DB", "testcontainers"), probes);

        assertThat(decision.source()).isEqualTo(PostgresSource.TESTCONTAINERS);
        assertThat(probes.localPostgresAsked).isZero();
    }

    // ---- forced, and not to be had: one line that says what to do, never a fallback

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "JETTY_TEST_KAFKA, external, true, true, JETTY_TEST_KAFKA=external but JETTY_TEST_KAFKA_BOOTSTRAP is not set",
        "JETTY_TEST_KAFKA, testcontainers, false, true, JETTY_TEST_KAFKA=testcontainers but no Docker engine answers",
        "JETTY_TEST_KAFKA, docker, true, true, JETTY_TEST_KAFKA=docker is not one of external|testcontainers|in-process",
        "JETTY_TEST_DB, external, true, true, JETTY_TEST_DB=external but JETTY_TEST_DB_URL is not set",
        "JETTY_TEST_DB, local, true, false, JETTY_TEST_DB=local but nothing answers on localhost:5432",
        "JETTY_TEST_DB, testcontainers, false, true, JETTY_TEST_DB=testcontainers but no Docker engine answers",
        "JETTY_TEST_DB, h2, true, true, JETTY_TEST_DB=h2 is not one of external|local|testcontainers",
    })
    void shouldFailInOneLineWhenTheForcedFixtureCannotBeHad(String variable, String value, boolean docker,
            boolean localPostgres, String message) {
        Map<String, String> env = env(variable, value);
        FakeProbes probes = new FakeProbes(docker, localPostgres);

        assertThatThrownBy(() -> {
            if (variable.equals(FixtureChoice.KAFKA_ENV)) {
                FixtureChoice.kafka(env, probes);
            } else {
                FixtureChoice.postgres(env, probes);
            }
        }).isInstanceOf(Unavailable.class).hasMessageContaining(message);
    }
}
