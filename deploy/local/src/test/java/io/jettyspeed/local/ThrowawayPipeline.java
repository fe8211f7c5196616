package io.jettyspeed.local;

import io.jettyspeed.testing.GatewayHttp;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The launcher's whole pipeline, as {@code ./jettyspeed run} starts it, on free ports, with its
 * data in a temporary folder and a database of its own that does not exist before (the launcher
 * creates it) and is dropped afterwards.
 */
final class ThrowawayPipeline implements AutoCloseable {

    static final String LOCAL_KEY = "ac_local_jettyspeeddevkey0000000000";

    private final String database = "jettyspeed_it_" + UUID.randomUUID().toString().substring(0, 8);
    private final LocalSettings settings;
    private final LocalPipeline pipeline;

    private ThrowawayPipeline(Path dataDir) throws IOException {
        settings = new LocalSettings("jdbc:postgresql://localhost:5432/" + database, "postgres", "", dataDir,
                freePort(), threeFreePorts(), false);
        pipeline = new LocalPipeline(settings);
    }

    static ThrowawayPipeline start(Path dataDir) throws IOException {
        ThrowawayPipeline running = new ThrowawayPipeline(dataDir);
        running.pipeline.start();
        return running;
    }

    LocalSettings settings() {
        return settings;
    }

    int gatewayPort() {
        return settings.gatewayPort();
    }

    GatewayHttp http() {
        return new GatewayHttp(settings.gatewayPort());
    }

    @Override
    public void close() throws SQLException {
        pipeline.stop();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:5432/postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A port p such that p, p+1 and p+2 are free: the gateway, processors and sink. */
    private static int threeFreePorts() {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + random.nextInt(30_000);
            try (ServerSocket a = new ServerSocket(base); ServerSocket b = new ServerSocket(base + 1);
                    ServerSocket c = new ServerSocket(base + 2)) {
                return base;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no three consecutive free ports");
    }
}
