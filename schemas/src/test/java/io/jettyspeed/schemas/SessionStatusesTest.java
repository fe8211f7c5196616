package io.jettyspeed.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SessionStatusesTest {

    @Test
    void shouldEndASessionOnlyWhenCompletedFailedOrExpired() {
        assertThat(Arrays.stream(UploadSessionStatus.values()).filter(SessionStatuses::isTerminal))
                .containsExactlyInAnyOrder(UploadSessionStatus.COMPLETED, UploadSessionStatus.FAILED, UploadSessionStatus.EXPIRED);
    }

    @Test
    void shouldLetAClientResumeAnOpenOrFailedSession() {
        assertThat(Arrays.stream(UploadSessionStatus.values()).filter(SessionStatuses::isResumable))
                .containsExactlyInAnyOrder(UploadSessionStatus.STARTED, UploadSessionStatus.UPLOADING, UploadSessionStatus.FAILED);
    }
}
