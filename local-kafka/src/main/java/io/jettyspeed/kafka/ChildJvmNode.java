package io.jettyspeed.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node running in a child JVM ({@link KafkaNodeMain}) with this JVM's class path; its output goes
 * to {@code node.log} in its folder. This JVM holds the child's standard input open: when this JVM
 * dies, however it dies, the child sees the pipe close and halts.
 */
final class ChildJvmNode extends AbstractKafkaNode {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Path configFile;
    private final List<String> jvmOptions;
    private volatile Process process;

    ChildJvmNode(InProcessKafka.NodeLayout layout, Path configFile, List<String> jvmOptions) {
        super(layout);
        this.configFile = configFile;
        this.jvmOptions = jvmOptions;
        Runtime.getRuntime().addShutdownHook(new Thread(this::killQuietly, "kafka-node-" + layout.id() + "-reaper"));
    }

    @Override
    public boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    @Override
    public NodeRuntime runtime() {
        return NodeRuntime.CHILD_JVM;
    }

    @Override
    void launch() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(KafkaNodeMain.class.getName());
        command.add(configFile.toAbsolutePath().toString());
        Path log = dataDir().resolve("node.log");
        try {
            Process child = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            process = child;
            NodeReadiness.await(id(), bootstrapServers(), InProcessKafka.startTimeout(), child::isAlive,
                    () -> " (log: " + log + ")\n" + tail(log));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a JVM for Kafka node " + id(), e);
        } catch (RuntimeException e) {
            killQuietly();
            throw e;
        }
    }

    /** {@code SIGTERM}: Kafka's own clean shutdown in the child, as a service manager would stop it. */
    @Override
    public synchronized void stop() {
        Process current = process;
        if (current == null || !current.isAlive()) {
            process = null;
            return;
        }
        // Through the handle: Process.destroy() would also close the child's standard input, which
        // the child takes for the death of this JVM and halts without its clean shutdown.
        current.toHandle().destroy();
        try {
            if (!current.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                current.destroyForcibly().waitFor();
                throw new IllegalStateException("Kafka node " + id() + " did not stop within " + STOP_TIMEOUT
                        + " of SIGTERM and was killed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            current.destroyForcibly();
        } finally {
            closeStdin(current);
            process = null;
        }
    }

    /** {@code SIGKILL}. */
    @Override
    public synchronized void kill() {
        Process current = process;
        if (current == null) {
            return;
        }
        current.destroyForcibly();
        try {
            current.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeStdin(current);
        process = null;
    }

    @Override
    public String toString() {
        return "Kafka node " + id() + " (child JVM) at " + bootstrapServers();
    }

    private void killQuietly() {
        Process current = process;
        if (current != null) {
            current.destroyForcibly();
        }
    }

    private static void closeStdin(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
