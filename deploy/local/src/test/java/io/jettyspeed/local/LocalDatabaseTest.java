package io.jettyspeed.local;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LocalDatabaseTest {

    @Test
    void shouldExplainInOneLineWhatToDoWhenPostgresIsUnreachable() {
        assertThatThrownBy(() -> LocalDatabase.ensureExists("jdbc:postgresql://127.0.0.1:1/jettyspeed", "postgres", ""))
                .isInstanceOf(LocalRunException.class)
                .hasMessageContaining("PostgreSQL is not reachable at jdbc:postgresql://127.0.0.1:1/postgres")
                .hasMessageContaining("JETTY_DB_URL")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void shouldRefuseUnknownOptionsAndBadPorts() {
        assertThatThrownBy(() -> LocalSettings.from(new String[] {"--turbo"}, java.util.Map.of()))
                .hasMessage("unknown option --turbo");
        assertThatThrownBy(() -> LocalSettings.from(new String[] {}, java.util.Map.of("PORT", "eighty")))
                .hasMessage("PORT must be a port number, was 'eighty'");
    }
}
