package io.jettyspeed.processors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * State directories in memory ({@code /dev/shm}) where the machine has one: TopologyTestDriver
 * commits after every record, and each commit flushes every RocksDB store and fsyncs checkpoint
 * files, which on a disk makes a test that pipes thousands of records take minutes.
 */
public final class MemoryTempDirs implements TempDirFactory {

    private static final Path SHM = Path.of("/dev/shm");

    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) {
        return create();
    }

    /** A new directory, in memory where the machine has it; the caller deletes it. */
    public static Path create() {
        try {
            if (Files.isDirectory(SHM) && Files.isWritable(SHM)) {
                return Files.createTempDirectory(SHM, "jetty-streams-test");
            }
            return Files.createTempDirectory("jetty-streams-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
