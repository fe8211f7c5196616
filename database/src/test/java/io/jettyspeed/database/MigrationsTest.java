package io.jettyspeed.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jettyspeed.testing.PostgresSchema;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MigrationsTest {

    @RegisterExtension
    static final PostgresSchema postgres = new PostgresSchema();

    @Test
    void shouldMigrateAFreshSchemaAndRefuseAClientKeyWithoutAUser() throws SQLException {
        // given
        Flyway flyway = Flyway.configure()
                .dataSource(postgres.jdbcUrl(), postgres.user(), postgres.password())
                .schemas(postgres.schema())
                .load();

        // when
        var result = flyway.migrate();

        // then
        assertThat(result.success).isTrue();
        try (var c = postgres.connect(); var s = c.createStatement()) {
            s.execute("INSERT INTO api_keys (key_id, key_hash, scopes, user_id) VALUES ('k1', '\\x00', '{client}', 'usr_1')");
            assertThatThrownBy(() -> s.execute(
                    "INSERT INTO api_keys (key_id, key_hash, scopes) VALUES ('k2', '\\x00', '{client}')"))
                    .hasMessageContaining("client_keys_act_for_a_user");
            assertThatThrownBy(() -> s.execute(
                    "INSERT INTO api_keys (key_id, key_hash, scopes) VALUES ('k3', '\\x00', '{root}')"))
                    .isInstanceOf(SQLException.class);
        }
    }
}
