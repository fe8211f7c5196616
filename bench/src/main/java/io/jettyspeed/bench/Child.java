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
 * A JVM of its own for one process of the benchmark (a service, or the broker), started with the heap
 * given for it and nothing inherited from the benchmark JVM, so
 * its CPU time and its peak RSS ({@link ProcStat}) are its own.
 *
 * @param service gateway, processors, sink or broker
 * @param port    the port it listens on
 */
public record Child(String name, String service, String heap, Process process, int port) implements AutoCloseable {

    /** What a child JVM runs: a main class on the benchmark's class path, or a service's own executable jar. */
    public record Launch(List<String> arguments) {

        public static Launch mainClass(Class<?> mainClass, List<String> args) {
            List<String> arguments = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
            arguments.addAll(args);
            return new Launch(arguments);
        }

        /**
         * The executable jar {@code <module>/target/<module>-*-exec.jar} that {@code ./jettyspeed bench}'s build
         * packages and the Dockerfile ships: the service with its own class path and nothing of the others'.
         */
        public static Launch executableJar(String module) {
            return new Launch(List.of("-jar", executableJarPath(module)));
        }

        private static String executableJarPath(String module) {
            try (var jars = Files.newDirectoryStream(Path.of(module, "target"), module + "-*-exec.jar")) {
                for (Path jar : jars) {
                    return jar.toAbsolutePath().toString();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot look for " + module + "'s executable jar", e);
            }
            throw new IllegalStateException("no " + module + "/target/" + module + "-*-exec.jar: run ./jettyspeed bench,"
                    + " which packages it (mvn package -pl bench -am)");
        }

        /**
         * A service's executable jar with a few of the benchmark's classes beside it, run from {@code mainClass}:
         * Spring Boot's {@code PropertiesLauncher} puts {@code loader.path} (a directory holding only copies of
         * {@code classes}) before the jar's own class path. So the JVM loads the service's libraries and nothing of the
         * benchmark's class path (on it the gateway had initialised the broker's log4j-core, 349 classes).
         */
        public static Launch executableJarWith(String module, Path classesDir, Class<?> mainClass, List<Class<?>> classes,
                List<String> args) {
            for (Class<?> type : classes) {
                Path copy = classesDir.resolve(type.getName().replace('.', '/') + ".class");
                try (var bytes = type.getResourceAsStream(type.getSimpleName() + ".class")) {
                    Files.createDirectories(copy.getParent());
                    Files.write(copy, bytes.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot copy " + type.getName() + " to " + classesDir, e);
                }
            }
            List<String> arguments = new ArrayList<>(List.of("-cp", executableJarPath(module), "-Dloader.path=" + classesDir.toAbsolutePath(),
                    "-Dloader.main=" + mainClass.getName(), "org.springframework.boot.loader.launch.PropertiesLauncher"));
            arguments.addAll(args);
            return new Launch(arguments);
        }
    }

    /**
     * Starts {@code launch} with {@code -Xmx<heap>}, {@code jvmOptions}, and Spring properties as
     * {@code --key=value} arguments; output goes to {@code logDir/<name>.log}.
     */
    public static Child start(String name, String service, String heap, List<String> jvmOptions, Launch launch,
            Map<String, Object> properties, int port, Path logDir) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.addAll(jvmOptions);
        command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.jettyspeed");
        command.addAll(launch.arguments());
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
