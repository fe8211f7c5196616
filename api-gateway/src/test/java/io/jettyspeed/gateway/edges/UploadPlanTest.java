package io.jettyspeed.gateway.edges;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.gateway.validation.Limits;
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
        UploadPlan plan = UploadPlan.forFileSize(Limits.MAX_FILE_SIZE);

        // then
        assertThat(plan.chunkSize()).isEqualTo(256 * Limits.MIB);
        assertThat(plan.totalChunks()).isEqualTo(Limits.MAX_FILE_SIZE / (256 * Limits.MIB));
        assertThat(plan.chunkSize()).isBetween(Limits.MIN_CHUNK_SIZE, Limits.MAX_CHUNK_SIZE);
    }
}
