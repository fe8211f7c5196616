package io.jettyspeed.simulator;

/**
 * A simulated user: where they are, their plan, the two devices they upload from, and the
 * bandwidth of their connection.
 */
public record SimUser(String userId, String plan, double lat, double lng, String homeEdge, String primaryDevice,
        String secondDevice, double uplinkMbps) {
}
