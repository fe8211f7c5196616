package io.jettyspeed.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jettyspeed.testing.FixtureChoice.Decision;
import io.jettyspeed.testing.FixtureChoice.Unavailable;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every branch of the fixture choice, as decision tables: the variables set, what the probes answer
 * ({@code yes}, {@code no}, or {@code -} for a probe the choice must not ask: asking it fails the
 * test), and the source chosen with a part of its reason, or the one line of the refusal.
 */
class FixtureChoiceTest {

    /** Probes with fixed answers that fail when asked what the branch must not ask. */
    record FakeProbes(String docker, String localPostgres) implements FixtureChoice.Probes {

        @Override
        public boolean dockerAvailable() {
            return answer("Docker", docker);
        }

        @Override
        public boolean localPostgresReachable() {
            return answer("localhost:5432", localPostgres);
        }

        private static boolean answer(String probe, String answer) {
            if (answer.equals("-")) {
                throw new AssertionError(probe + " was probed, and this choice must not probe it");
            }
            return answer.equals("yes");
        }
    }

    @ParameterizedTest(name = "{0} with [{1}], Docker {2}, localhost:5432 {3}: {4}")
    @CsvSource(delimiter = ';', nullValues = "none", textBlock = """
            # by default
            kafka;    JETTY_TEST_KAFKA_BOOTSTRAP=broker:9092;  -;   -;   EXTERNAL;       JETTY_TEST_KAFKA_BOOTSTRAP is set
            kafka;    none;                                    yes; -;   TESTCONTAINERS; a Docker engine answers
            kafka;    'JETTY_TEST_KAFKA_BOOTSTRAP=  ';         no;  -;   IN_PROCESS;     no Docker engine answers
            postgres; JETTY_TEST_DB_URL=jdbc:postgresql://db:5432/t; -; -; EXTERNAL;      JETTY_TEST_DB_URL is set
            postgres; none;                                    -;   yes; LOCAL;          localhost:5432 answers
            postgres; none;                                    yes; no;  TESTCONTAINERS; localhost:5432 does not answer, and a Docker engine answers
            # forced, and to be had
            kafka;    JETTY_TEST_KAFKA=external, JETTY_TEST_KAFKA_BOOTSTRAP=b:9092;       -;   -;   EXTERNAL;       forced by JETTY_TEST_KAFKA=external
            kafka;    JETTY_TEST_KAFKA=testcontainers, JETTY_TEST_KAFKA_BOOTSTRAP=b:9092; yes; -;   TESTCONTAINERS; forced by JETTY_TEST_KAFKA=testcontainers
            kafka;    JETTY_TEST_KAFKA=In-Process, JETTY_TEST_KAFKA_BOOTSTRAP=b:9092;     -;   -;   IN_PROCESS;     forced by JETTY_TEST_KAFKA=in-process (JETTY_TEST_KAFKA_BOOTSTRAP ignored)
            postgres; JETTY_TEST_DB=external, JETTY_TEST_DB_URL=jdbc:postgresql://db/t;   -;   -;   EXTERNAL;       forced by JETTY_TEST_DB=external
            postgres; JETTY_TEST_DB=local, JETTY_TEST_DB_URL=jdbc:postgresql://db/t;      -;   yes; LOCAL;          forced by JETTY_TEST_DB=local (JETTY_TEST_DB_URL ignored)
            postgres; JETTY_TEST_DB=testcontainers;                                      yes; -;   TESTCONTAINERS; forced by JETTY_TEST_DB=testcontainers
            """)
    void shouldChooseTheFixtureAndSayWhy(String fixture, String variables, String docker, String localPostgres,
            String source, String reason) {
        Decision<?> decision = choose(fixture, env(variables), new FakeProbes(docker, localPostgres));

        assertThat(decision.source().name()).isEqualTo(source);
        assertThat(decision.reason()).contains(reason);
    }

    /** Forced, or nothing else left, and not to be had: one line that says what to do, never a fallback. */
    @ParameterizedTest(name = "{0} with [{1}], Docker {2}, localhost:5432 {3}")
    @CsvSource(delimiter = ';', nullValues = "none", textBlock = """
            kafka;    JETTY_TEST_KAFKA=external;       -;  -;  JETTY_TEST_KAFKA=external but JETTY_TEST_KAFKA_BOOTSTRAP is not set
            kafka;    JETTY_TEST_KAFKA=testcontainers; no; -;  JETTY_TEST_KAFKA=testcontainers but no Docker engine answers
            kafka;    JETTY_TEST_KAFKA=docker;         -;  -;  JETTY_TEST_KAFKA=docker is not one of external|testcontainers|in-process
            postgres; none;                            no; no; no PostgreSQL for the tests: JETTY_TEST_DB_URL is not set
            postgres; JETTY_TEST_DB=external;          -;  -;  JETTY_TEST_DB=external but JETTY_TEST_DB_URL is not set
            postgres; JETTY_TEST_DB=local;             -;  no; JETTY_TEST_DB=local but nothing answers on localhost:5432
            postgres; JETTY_TEST_DB=testcontainers;    no; -;  JETTY_TEST_DB=testcontainers but no Docker engine answers
            postgres; JETTY_TEST_DB=h2;                -;  -;  JETTY_TEST_DB=h2 is not one of external|local|testcontainers
            """)
    void shouldRefuseInOneLineWhatCannotBeHad(String fixture, String variables, String docker, String localPostgres,
            String message) {
        assertThatThrownBy(() -> choose(fixture, env(variables), new FakeProbes(docker, localPostgres)))
                .isInstanceOf(Unavailable.class)
                .hasMessageContaining(message)
                .hasMessageNotContaining("\n");
    }

    @Test
    void shouldSayWhatToDoWhenNoPostgresCanBeHad() {
        assertThatThrownBy(() -> FixtureChoice.postgres(Map.of(), new FakeProbes("no", "no")))
                .hasMessageEndingWith("start PostgreSQL (or Docker), or set JETTY_TEST_DB_URL");
    }

    private static Decision<?> choose(String fixture, Map<String, String> env, FakeProbes probes) {
        return fixture.equals("kafka") ? FixtureChoice.kafka(env, probes) : FixtureChoice.postgres(env, probes);
    }

    /** {@code NAME=value, NAME=value}; a value keeps its spaces (a blank one counts as unset). */
    private static Map<String, String> env(String variables) {
        Map<String, String> env = new HashMap<>();
        if (variables != null) {
            for (String variable : variables.split(",")) {
                String[] nameAndValue = variable.stripLeading().split("=", 2);
                env.put(nameAndValue[0], nameAndValue[1]);
            }
        }
        return env;
    }
}
