package io.jettyspeed.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CompletedChunksTest {

    @Test
    void shouldMergeNeighboursIntoOneRange() {
        List<ChunkRange> ranges = List.of();
        for (int index : new int[] {0, 2, 1, 4, 3}) {
            ranges = CompletedChunks.add(ranges, index);
        }
        assertThat(ranges).containsExactly(new ChunkRange(0, 4));
        assertThat(CompletedChunks.count(ranges)).isEqualTo(5);
    }

    @Test
    void shouldKeepASequentialUploadOfAnySizeAsOneRange() {
        List<ChunkRange> ranges = List.of();
        for (int index = 0; index < CompletedChunks.MAX_CHUNKS_PER_FILE; index++) {
            ranges = CompletedChunks.add(ranges, index);
        }
        assertThat(ranges).hasSize(1);
    }

    @Test
    void shouldAgreeWithASetOfIndexesInAnyOrder() {
        Random random = new Random(7);
        List<ChunkRange> ranges = List.of();
        TreeSet<Integer> expected = new TreeSet<>();
        for (int i = 0; i < 2_000; i++) {
            int index = random.nextInt(600);
            ranges = CompletedChunks.add(ranges, index);
            expected.add(index);
        }
        assertThat(CompletedChunks.count(ranges)).isEqualTo(expected.size());
        for (int index = 0; index < 600; index++) {
            assertThat(CompletedChunks.contains(ranges, index)).as("chunk %d", index).isEqualTo(expected.contains(index));
        }
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).getFrom()).isGreaterThan(ranges.get(i - 1).getTo() + 1);
        }
    }

    @Test
    void shouldListMissingRangesForResume() {
        List<ChunkRange> ranges = List.of(new ChunkRange(0, 1), new ChunkRange(4, 4), new ChunkRange(9, 12));
        assertThat(CompletedChunks.missing(ranges, 10)).containsExactly(new ChunkRange(2, 3), new ChunkRange(5, 8));
        assertThat(CompletedChunks.missing(List.of(), 3)).containsExactly(new ChunkRange(0, 2));
        assertThat(CompletedChunks.missing(List.of(new ChunkRange(0, 2)), 3)).isEmpty();
    }

    @Test
    void shouldRefuseAChunkThatWouldFragmentTheRangesBeyondTheCap() {
        List<ChunkRange> ranges = new ArrayList<>();
        for (int i = 0; i < CompletedChunks.MAX_RANGES; i++) {
            ranges.add(new ChunkRange(2 * i, 2 * i));
        }
        int beyond = 2 * CompletedChunks.MAX_RANGES + 5;
        assertThat(CompletedChunks.check(ranges, beyond)).isEqualTo(CompletedChunks.Added.TOO_FRAGMENTED);
        assertThat(CompletedChunks.add(ranges, beyond)).isSameAs(ranges);
        // Filling a gap joins two ranges, so it is always allowed.
        assertThat(CompletedChunks.check(ranges, 1)).isEqualTo(CompletedChunks.Added.ADDED);
        assertThat(CompletedChunks.add(ranges, 1)).hasSize(CompletedChunks.MAX_RANGES - 1);
        assertThat(CompletedChunks.check(ranges, 0)).isEqualTo(CompletedChunks.Added.ALREADY_COMPLETED);
    }
}
