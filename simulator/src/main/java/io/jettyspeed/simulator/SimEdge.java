package io.jettyspeed.simulator;

/** An edge as the gateway lists it ({@code GET /api/jetty/edges}): id, city and where it is. */
public record SimEdge(String edgeId, String city, double lat, double lng) {
}
