package io.jettyspeed.gateway.edges;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.gateway.validation.Limits;
import io.jettyspeed.schemas.EventLimits;
import org.junit.jupiter.api.Test;

class UploadPlanTest {

    @Test
    void shouldSuggestFourMebibyteChunksAndFullParallelismForOneGibibyte() {
        // given
        long fileSize = Limits.GIB;

        // when
        UploadPlan plan = UploadPlan.forFileSize(fileSize);

        // then
        assertThat(plan).isEqualTo(new UploadPlan(4 * Limits.MIB, 256, 24));
    }

    @Test
    void shouldSuggestOneChunkForTinyAndEmptyFiles() {
        // when / then
        assertThat(UploadPlan.forFileSize(0)).isEqualTo(new UploadPlan(4 * Limits.MIB, 1, 1));
        assertThat(UploadPlan.forFileSize(1000)).isEqualTo(new UploadPlan(4 * Limits.MIB, 1, 1));
    }

    @Test
    void shouldCapChunkSizeForTheLargestFiles() {
        // when
        UploadPlan plan = UploadPlan.forFileSize(EventLimits.MAX_FILE_SIZE);

        // then
        assertThat(plan.chunkSize()).isEqualTo(256 * Limits.MIB);
        assertThat(plan.totalChunks()).isEqualTo(EventLimits.MAX_FILE_SIZE / (256 * Limits.MIB));
        assertThat(plan.chunkSize()).isBetween(Limits.MIN_CHUNK_SIZE, EventLimits.MAX_CHUNK_SIZE);
    }

    @Test
    void shouldStayWithinTheChunkBoundsTrackUploadAcceptsForEveryFileSize() {
        // given: sizes from empty to the largest file, powers of two and their neighbours
        java.util.List<Long> sizes = new java.util.ArrayList<>(java.util.List.of(0L, 1L, EventLimits.MAX_FILE_SIZE));
        for (int bit = 10; bit < 43; bit++) {
            sizes.add((1L << bit) - 1);
            sizes.add(1L << bit);
            sizes.add((1L << bit) + 1);
        }

        // when / then
        for (long size : sizes) {
            UploadPlan plan = UploadPlan.forFileSize(size);
            assertThat(plan.totalChunks()).as("chunks for %d bytes", size)
                    .isBetween(1L, (long) io.jettyspeed.schemas.CompletedChunks.MAX_CHUNKS_PER_FILE);
            assertThat(plan.chunkSize()).isBetween(Limits.MIN_CHUNK_SIZE, EventLimits.MAX_CHUNK_SIZE);
            assertThat(plan.totalChunks()).isEqualTo(Math.max(1, (size + plan.chunkSize() - 1) / plan.chunkSize()));
        }
    }
}
