package io.jettyspeed.testing;

import io.jettyspeed.kafka.ChildJvm;
import io.jettyspeed.kafka.ChildJvmSlot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One of our services (gateway, processors, sink) in a child JVM of its own ({@link ChildJvm}: the test's
 * class path, its own small heap, its log in {@code target/service-logs/<name>.log}), so that a test can
 * crash it for real: {@link #kill()} is {@code SIGKILL}, {@link #stop()} is {@code SIGTERM}. The port is
 * chosen once and kept across restarts, so clients keep their address.
 *
 * <p>Spring properties are passed as {@code --key=value} arguments (they win over the service's own
 * file), environment variables as environment variables. {@link #start()} returns once {@code
 * /actuator/health/readiness} answers 200.
 */
public final class ServiceJvm implements AutoCloseable {

    /** Heap and collector of every service JVM: small, and cheap on a 2-core machine. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.jettyspeed");
    public static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final String mainClass;
    private final int port;
    private final Map<String, String> properties;
    private final Map<String, String> environment;
    private final List<String> jvmOptions;
    private final Path logDir;
    private final ChildJvmSlot child = new ChildJvmSlot();
    private volatile long launchedAtNanos;

    private ServiceJvm(Builder builder) {
        this.name = builder.name;
        this.mainClass = builder.mainClass;
        this.port = builder.port;
        this.properties = Map.copyOf(builder.properties);
        this.environment = Map.copyOf(builder.environment);
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.logDir = builder.logDir;
    }

    /** A service started from {@code mainClass} (a Spring Boot main), its {@code server.port} a free port. */
    public static Builder builder(String name, String mainClass) {
        return new Builder(name, mainClass);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public boolean isRunning() {
        return child.isRunning();
    }

    /** Launches the JVM and waits until it is ready; returns how long that took (launch to readiness UP). */
    public synchronized Duration start() {
        launch();
        return awaitReady(START_TIMEOUT);
    }

    /** Launches the JVM and returns at once (the moment is {@link #launchedAtNanos()}). */
    public synchronized void launch() {
        if (isRunning()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + port);
        properties.forEach((key, value) -> args.add("--" + key + "=" + value));
        launchedAtNanos = System.nanoTime();
        child.set(ChildJvm.start(name, mainClass, args, jvmOptions, environment, logDir.resolve(name + ".log")));
    }

    /** {@link System#nanoTime()} of the last {@link #launch()}. */
    public long launchedAtNanos() {
        return launchedAtNanos;
    }

    /** Waits until readiness answers 200; returns the time from the launch until then. */
    public Duration awaitReady(Duration timeout) {
        return awaitProbe("readiness", timeout);
    }

    /**
     * Waits until liveness answers 200: the application has started (Spring Boot has refreshed its context
     * and serves HTTP). Returns the time from the launch until then: the JVM's and Spring Boot's start,
     * which on a loaded machine can dwarf what a test wants to measure after it.
     */
    public Duration awaitLive(Duration timeout) {
        return awaitProbe("liveness", timeout);
    }

    private Duration awaitProbe(String probe, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not listening";
        while (System.nanoTime() < deadline) {
            ChildJvm current = child.current();
            if (current == null || !current.isAlive()) {
                throw new IllegalStateException(name + " ended while starting (log " + logDir.resolve(name + ".log")
                        + "):\n" + (current == null ? "" : current.tail(40)));
            }
            Probe answer = probe(probe);
            if (answer.up()) {
                return Duration.ofNanos(System.nanoTime() - launchedAtNanos);
            }
            last = answer.detail();
            sleep(100);
        }
        ChildJvm current = child.current();
        throw new IllegalStateException(name + " " + probe + " not UP within " + timeout + ": " + last + "\n"
                + (current == null ? "" : current.tail(40)));
    }

    /** The readiness probe now: UP only for a 200 from {@code /actuator/health/readiness}. */
    public Probe readiness() {
        return probe("readiness");
    }

    private Probe probe(String probe) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/actuator/health/" + probe))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return new Probe(response.statusCode() == 200, response.statusCode() + " " + response.body());
        } catch (IOException e) {
            return new Probe(false, "not answering: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code SIGKILL} (no shutdown hook runs, nothing is flushed or committed), as the kernel's OOM killer or {@code kill -9}. */
    public synchronized void kill() {
        child.kill();
    }

    /** {@code SIGTERM}: the service's clean shutdown; returns once the JVM has ended. */
    public synchronized void stop() {
        child.stop(STOP_TIMEOUT);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        ChildJvm current = child.current();
        return name + " on :" + port + (current == null ? " (not running)" : " " + current);
    }

    /** What a probe answered. */
    public record Probe(boolean up, String detail) {
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Name, main class, properties, environment and JVM options of a service JVM. */
    public static final class Builder {

        private final String name;
        private final String mainClass;
        private int port;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>(DEFAULT_JVM_OPTIONS);
        private Path logDir = Path.of("target", "service-logs");

        private Builder(String name, String mainClass) {
            this.name = name;
            this.mainClass = mainClass;
        }

        /** A Spring property ({@code --key=value}). */
        public Builder property(String key, Object value) {
            properties.put(key, String.valueOf(value));
            return this;
        }

        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** A further JVM option, after the defaults. */
        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** The folder of the log file (default {@code target/service-logs}). */
        public Builder logDir(Path logDir) {
            this.logDir = logDir;
            return this;
        }

        /** The HTTP port (default: a free one, chosen now and kept across restarts). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public ServiceJvm build() {
            if (port == 0) {
                port = freePort();
            }
            return new ServiceJvm(this);
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
