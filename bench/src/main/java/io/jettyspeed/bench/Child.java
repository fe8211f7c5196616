package io.jettyspeed.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of its own for one process of the benchmark (a service, or the broker), started from the
 * benchmark's classpath with the heap given for it and nothing inherited from the benchmark JVM, so
 * its CPU time and its peak RSS ({@link ProcStat}) are its own.
 *
 * @param service gateway, processors, sink or broker
 * @param port    the port it listens on
 */
public record Child(String name, String service, String heap, Process process, int port) implements AutoCloseable {

    /**
     * Starts {@code mainClass args...} with {@code -Xmx<heap>}, {@code jvmOptions}, and Spring
     * properties as {@code --key=value} arguments; output goes to {@code logDir/<name>.log}.
     */
    public static Child start(String name, String service, String heap, List<String> jvmOptions, Class<?> mainClass,
            List<String> args, Map<String, Object> properties, int port, Path logDir) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.addAll(jvmOptions);
        command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.jettyspeed");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        properties.forEach((k, v) -> command.add("--" + k + "=" + v));
        try {
            Files.createDirectories(logDir);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(logDir.resolve(name + ".log").toFile()).start();
            return new Child(name, service, heap, process, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public CpuMeter.Process asMeasured() {
        return new CpuMeter.Process(name, pid());
    }

    /** Waits until {@code /actuator/health} answers 200 (every health contributor up). */
    public void awaitHealthy(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not listening";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see its log");
            }
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Bench.sleep(250);
        }
        throw new IllegalStateException(name + " did not become healthy within " + timeout + ": " + last);
    }

    /** Peak resident set size so far (VmHWM), in bytes. */
    public long peakRssBytes() {
        return ProcStat.peakRssBytes(pid());
    }

    /** Stops the JVM (SIGTERM: Spring closes the context; the broker its log) and waits for it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** For a shutdown hook: SIGTERM if still running, without waiting. */
    void kill() {
        if (process.isAlive()) {
            process.destroy();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
