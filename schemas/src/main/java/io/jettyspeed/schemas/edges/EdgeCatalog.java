package io.jettyspeed.schemas.edges;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The twenty seeded edge nodes ({@code edge-} plus a city code) and the direct-to-storage
 * fallback. Reference data shared by the gateway (edge choice), the processors (edge health) and
 * the sink. The {@code edges} table is seeded with the same rows by a migration; {@code EdgeCatalogSeedTest}
 * (database module) fails when the two differ.
 */
public final class EdgeCatalog {

    /** Id of the direct-to-storage fallback, always offered at weight 0.10. */
    public static final String DIRECT_STORAGE_ID = "direct-storage";

    public static final EdgeLocation DIRECT_STORAGE = new EdgeLocation(DIRECT_STORAGE_ID, "Origin", "global",
            39.0438, -77.4874, "https://storage.jettyspeed.io/upload");

    public static final List<EdgeLocation> EDGES = List.of(
            edge("sfo", "San Francisco", "us-west", 37.7749, -122.4194),
            edge("lax", "Los Angeles", "us-west", 34.0522, -118.2437),
            edge("sea", "Seattle", "us-west", 47.6062, -122.3321),
            edge("dfw", "Dallas", "us-central", 32.7767, -96.7970),
            edge("ord", "Chicago", "us-central", 41.8781, -87.6298),
            edge("iad", "Ashburn", "us-east", 39.0438, -77.4874),
            edge("nyc", "New York", "us-east", 40.7128, -74.0060),
            edge("mia", "Miami", "us-east", 25.7617, -80.1918),
            edge("yyz", "Toronto", "ca-central", 43.6532, -79.3832),
            edge("gru", "Sao Paulo", "sa-east", -23.5505, -46.6333),
            edge("lhr", "London", "eu-west", 51.5074, -0.1278),
            edge("fra", "Frankfurt", "eu-central", 50.1109, 8.6821),
            edge("ams", "Amsterdam", "eu-west", 52.3676, 4.9041),
            edge("cdg", "Paris", "eu-west", 48.8566, 2.3522),
            edge("sin", "Singapore", "ap-southeast", 1.3521, 103.8198),
            edge("nrt", "Tokyo", "ap-northeast", 35.6762, 139.6503),
            edge("hkg", "Hong Kong", "ap-east", 22.3193, 114.1694),
            edge("syd", "Sydney", "ap-southeast", -33.8688, 151.2093),
            edge("bom", "Mumbai", "ap-south", 19.0760, 72.8777),
            edge("jnb", "Johannesburg", "af-south", -26.2041, 28.0473));

    private static final Map<String, EdgeLocation> BY_ID =
            EDGES.stream().collect(Collectors.toUnmodifiableMap(EdgeLocation::edgeId, Function.identity()));

    private EdgeCatalog() {
    }

    public static Optional<EdgeLocation> find(String edgeId) {
        return Optional.ofNullable(BY_ID.get(edgeId));
    }

    public static boolean isKnownEdge(String edgeId) {
        return BY_ID.containsKey(edgeId);
    }

    private static EdgeLocation edge(String code, String city, String region, double lat, double lng) {
        return new EdgeLocation("edge-" + code, city, region, lat, lng, "https://" + code + ".edge.jettyspeed.io/upload");
    }
}
