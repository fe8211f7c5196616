package io.jettyspeed.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProvenanceTest {

    @Test
    void shouldCountModifiedRenamedAndUntrackedFilesAsUncommittedChanges() {
        String porcelain = " M bench/src/main/java/io/jettyspeed/bench/Bench.java\nR  a.txt -> b.txt\n?? bench/New.java\n";

        assertThat(Provenance.changedPaths(porcelain))
                .containsExactly("bench/src/main/java/io/jettyspeed/bench/Bench.java", "b.txt", "bench/New.java");
        assertThat(new Provenance("abc", "main", List.of("x")).describe())
                .isEqualTo("commit `abc` on main with uncommitted changes in 1 file");
        assertThat(new Provenance("abc", "main", List.of()).dirty()).isFalse();
    }

    @Test
    void shouldNameTheCommitOfThisCheckout() {
        Provenance p = Provenance.of(Path.of("."));

        assertThat(p.commit()).matches("[0-9a-f]{40}|unknown");
    }
}
