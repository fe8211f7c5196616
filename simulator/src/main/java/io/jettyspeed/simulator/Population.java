package io.jettyspeed.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The simulated users: each lives near one of the edges (more near the big regions), a few degrees
 * of jitter around its city, on a plan (Starter 60 %, Pro 30 %, Business 10 %), with an uplink
 * between about 10 and 1000 Mbps (log-normal around 80 Mbps).
 */
public final class Population {

    private Population() {
    }

    public static List<SimUser> generate(int count, List<SimEdge> edges, long seed) {
        if (edges.isEmpty()) {
            throw new IllegalArgumentException("no edges to place users near");
        }
        Random random = new Random(seed ^ 0x5EED_0001L);
        List<SimUser> users = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SimEdge home = edges.get(random.nextInt(edges.size()));
            double lat = clamp(home.lat() + random.nextGaussian() * 2.0, -89.9, 89.9);
            double lng = wrap(home.lng() + random.nextGaussian() * 3.0);
            double p = random.nextDouble();
            String plan = p < 0.6 ? "starter" : p < 0.9 ? "pro" : "business";
            double uplink = clamp(80 * Math.exp(random.nextGaussian() * 0.9), 10, 1000);
            String userId = String.format("usr_sim_%04d", i + 1);
            users.add(new SimUser(userId, plan, round(lat), round(lng), home.edgeId(), userId + "-laptop",
                    userId + "-phone", Math.round(uplink * 10) / 10.0));
        }
        return List.copyOf(users);
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    private static double wrap(double lng) {
        double wrapped = ((lng + 180) % 360 + 360) % 360 - 180;
        return Math.max(-180, Math.min(180, wrapped));
    }

    private static double round(double value) {
        return Math.round(value * 10_000d) / 10_000d;
    }
}
