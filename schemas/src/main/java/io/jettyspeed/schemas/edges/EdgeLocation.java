package io.jettyspeed.schemas.edges;

/** A place uploads can go to: an edge node, or the direct-to-storage fallback. */
public record EdgeLocation(String edgeId, String city, String region, double lat, double lng, String uploadUrl) {
}
