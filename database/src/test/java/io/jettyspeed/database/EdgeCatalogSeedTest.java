package io.jettyspeed.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.schemas.edges.EdgeLocation;
import io.jettyspeed.testing.PostgresSchema;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The edge catalogue exists twice: in Java ({@link EdgeCatalog}, which the gateway, the processors and
 * the sink use) and as the seed of the {@code edges} table (the migrations, which analysts join on). A
 * Flyway migration cannot be generated from the Java once applied, so this test holds them together:
 * after every migration the table holds exactly the catalogue, fallback included.
 */
class EdgeCatalogSeedTest {

    @RegisterExtension
    static final PostgresSchema postgres = new PostgresSchema();

    record Row(String edgeId, String city, String region, double lat, double lng, String uploadUrl, boolean fallback) {
    }

    @Test
    void shouldSeedTheEdgesTableWithExactlyTheJavaCatalogue() throws SQLException {
        // given
        Flyway.configure().dataSource(postgres.jdbcUrl(), postgres.user(), postgres.password())
                .schemas(postgres.schema()).load().migrate();
        List<Row> expected = new ArrayList<>();
        EdgeCatalog.EDGES.forEach(edge -> expected.add(row(edge, false)));
        expected.add(row(EdgeCatalog.DIRECT_STORAGE, true));

        // when
        List<Row> seeded = new ArrayList<>();
        try (var c = postgres.connect(); var s = c.createStatement();
                var rows = s.executeQuery("SELECT edge_id, city, region, lat, lng, upload_url, is_fallback FROM edges")) {
            while (rows.next()) {
                seeded.add(new Row(rows.getString(1), rows.getString(2), rows.getString(3), rows.getDouble(4),
                        rows.getDouble(5), rows.getString(6), rows.getBoolean(7)));
            }
        }

        // then
        assertThat(seeded).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static Row row(EdgeLocation edge, boolean fallback) {
        return new Row(edge.edgeId(), edge.city(), edge.region(), edge.lat(), edge.lng(), edge.uploadUrl(), fallback);
    }
}
