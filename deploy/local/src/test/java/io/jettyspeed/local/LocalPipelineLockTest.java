package io.jettyspeed.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One launcher per data directory: its broker files, Streams state and static member names are its own. */
class LocalPipelineLockTest {

    @Test
    void shouldRefuseASecondLauncherOnTheSameDataDirectoryAndAllowOneAfterTheFirstStopped(@TempDir Path dataDir)
            throws Exception {
        // given a running launcher
        AutoCloseable first = LocalPipeline.lockDataDir(dataDir);

        // when a second one starts on the same directory, then it stops, naming the first's process
        assertThatThrownBy(() -> LocalPipeline.lockDataDir(dataDir)).isInstanceOf(LocalRunException.class)
                .hasMessageContaining("another jettyspeed launcher (pid " + ProcessHandle.current().pid() + ")")
                .hasMessageContaining(dataDir.toAbsolutePath().toString());

        // when the first stops, a new one may start (a restart keeps its instance ids: the same data directory)
        first.close();
        try (AutoCloseable again = LocalPipeline.lockDataDir(dataDir)) {
            assertThat(Files.readString(dataDir.resolve(LocalPipeline.LOCK_FILE))).startsWith("pid ");
        }
    }
}
