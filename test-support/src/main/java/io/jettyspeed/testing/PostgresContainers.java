package io.jettyspeed.testing;

import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers branch of {@link SharedPostgres}: one PostgreSQL 15 container per test JVM,
 * database {@code jettyspeed_test}. Kept in its own class so that Testcontainers is loaded only when
 * this branch is chosen.
 */
final class PostgresContainers {

    /** The PostgreSQL the project targets (and Compose runs). */
    static final String IMAGE = "postgres:15";

    private PostgresContainers() {
    }

    /** The container, configured but not started (starting needs Docker). */
    static PostgreSQLContainer container() {
        return new PostgreSQLContainer(DockerImageName.parse(IMAGE))
                .withDatabaseName(SharedPostgres.DATABASE)
                .withUsername("postgres")
                .withPassword("postgres");
    }

    /** Starts it, stops it when the JVM exits, and returns how to reach it. */
    static SharedPostgres.Server start() {
        PostgreSQLContainer postgres = container();
        postgres.start();
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::stop, "postgres-container-shutdown"));
        return new SharedPostgres.Server(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword());
    }
}
