package io.jettyspeed.gateway.edges;

/**
 * Chooses the edges an upload should go through, from edge health and distance; implemented over
 * stream state by the processors' issue. The gateway uses the one bean of this type, or
 * {@link UnavailableEdgeChooser} while there is none.
 *
 * <p>Contract (SPEC §5): at most five edges with weights summing to 0.90 plus
 * {@link io.jettyspeed.schemas.edges.EdgeCatalog#DIRECT_STORAGE_ID} at 0.10; with no healthy edge
 * the fallback alone with {@code degraded = true}; deterministic for the same state.
 */
public interface EdgeChooser {

    EdgeRecommendation choose(double lat, double lng, long fileSize);
}
