package io.jettyspeed.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The real probes behind {@link FixtureChoice}, each asked at most once per test JVM: whether a Docker
 * engine answers (Testcontainers' own discovery, bounded by {@link #DOCKER_TIMEOUT}) and whether
 * {@code localhost:5432} accepts a TCP connection.
 */
final class FixtureProbes implements FixtureChoice.Probes {

    /** A Docker engine that does not answer within this is treated as absent. */
    static final Duration DOCKER_TIMEOUT = Duration.ofSeconds(5);

    static final FixtureProbes INSTANCE = new FixtureProbes();

    private Boolean docker;
    private Boolean localPostgres;

    private FixtureProbes() {
    }

    @Override
    public synchronized boolean dockerAvailable() {
        if (docker == null) {
            docker = askDocker();
        }
        return docker;
    }

    @Override
    public synchronized boolean localPostgresReachable() {
        if (localPostgres == null) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("localhost", 5432), 1_000);
                localPostgres = true;
            } catch (IOException e) {
                localPostgres = false;
            }
        }
        return localPostgres;
    }

    /** Testcontainers' discovery (DOCKER_HOST, the sockets, ~/.testcontainers.properties), on a daemon thread. */
    private static boolean askDocker() {
        FutureTask<Boolean> probe = new FutureTask<>(
                () -> org.testcontainers.DockerClientFactory.instance().isDockerAvailable());
        Thread thread = new Thread(probe, "docker-probe");
        thread.setDaemon(true);
        thread.start();
        try {
            return probe.get(DOCKER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            probe.cancel(true);
            return false;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
