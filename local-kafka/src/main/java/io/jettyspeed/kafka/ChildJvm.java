package io.jettyspeed.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Java main class running in a child JVM with this JVM's class path, its output appended to a log
 * file. Used for the Kafka nodes of a {@link NodeRuntime#CHILD_JVM} cluster and, by the tests, for the
 * services that a test kills.
 *
 * <p>The child runs {@link ChildMain}, which starts a watch on its standard input before it calls the
 * real main class: this JVM holds that pipe open, so when this JVM dies, however it dies, the child sees
 * the pipe close and halts. No child outlives the test run that started it.
 *
 * <p>{@link #stop(Duration)} is {@code SIGTERM} (the child's shutdown hooks run: a clean stop), {@link
 * #kill()} is {@code SIGKILL} of the child and its descendants (nothing runs: a crash).
 */
public record ChildJvm(String name, Process process, Path log) {

    /**
     * Starts {@code mainClass} with {@code args}, JVM options and extra environment variables; standard
     * output and error are appended to {@code log}. Returns at once, while the child starts.
     */
    public static ChildJvm start(String name, String mainClass, List<String> args, List<String> jvmOptions,
            Map<String, String> environment, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChildMain.class.getName());
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            ChildJvm child = new ChildJvm(name, builder.start(), log);
            Runtime.getRuntime().addShutdownHook(new Thread(child::killQuietly, name + "-reaper"));
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a JVM for " + name, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * {@code SIGTERM}, then waits up to {@code timeout} for the child to end; a child that does not is
     * killed and this throws.
     */
    public void stop(Duration timeout) {
        if (!process.isAlive()) {
            closeStdin();
            return;
        }
        // Through the handle: Process.destroy() would also close the child's standard input, which
        // the child takes for the death of this JVM and halts without its clean shutdown.
        process.toHandle().destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new IllegalStateException(name + " did not stop within " + timeout + " of SIGTERM and was killed; its log ends:\n"
                        + tail(20));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        } finally {
            closeStdin();
        }
    }

    /** {@code SIGKILL} of the child's descendants and of the child; returns once the child is gone. */
    public void kill() {
        // On Linux destroyForcibly() is SIGKILL. Descendants first: they would survive their parent.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeStdin();
    }

    /** The last lines of the child's log, for a failure message. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + log + ")";
    }

    private void killQuietly() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
    }
}
