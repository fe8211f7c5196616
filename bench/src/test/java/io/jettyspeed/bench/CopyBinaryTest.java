package io.jettyspeed.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.schemas.Plan;
import io.jettyspeed.schemas.UserStats;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyBinaryTest {

    @Test
    void shouldEncodeThePostgresBinaryCopyHeaderRowsAndTrailer() {
        // given
        UserStats stats = UserStats.newBuilder().setUserId("u").setPlan(Plan.PRO).setQuotaBytes(1).setStorageUsedBytes(2)
                .setUploadsStarted(3).setUploadsCompleted(4).setUploadsFailed(5).setUploadsExpired(6).setBytesUploaded(7)
                .setClones(8).setBytesSaved(9).setSecondsSaved(1.5).setThroughputP50(null).setThroughputP90(null)
                .setThroughputP99(null).setUpdatedAt(Instant.parse("2000-01-01T00:00:01Z")).build();

        // when
        ByteBuffer bytes = ByteBuffer.wrap(CopyBinary.userStats(List.of(stats)));

        // then
        byte[] signature = new byte[11];
        bytes.get(signature);
        assertThat(new String(signature, 0, 5)).isEqualTo("PGCOP");
        assertThat(bytes.getInt()).isZero();
        assertThat(bytes.getInt()).isZero();
        assertThat(bytes.getShort()).isEqualTo((short) 16);
        assertThat(bytes.getInt()).isEqualTo(1);
        assertThat(bytes.get()).isEqualTo((byte) 'u');
        assertThat(bytes.getInt()).isEqualTo(3);
        bytes.position(bytes.position() + 3 + 9 * 12 + 12);
        assertThat(bytes.getInt()).isEqualTo(-1);
        assertThat(bytes.getInt()).isEqualTo(-1);
        assertThat(bytes.getInt()).isEqualTo(-1);
        assertThat(bytes.getInt()).isEqualTo(8);
        assertThat(bytes.getLong()).isEqualTo(1_000_000L);
        assertThat(bytes.getShort()).isEqualTo((short) -1);
        assertThat(bytes.hasRemaining()).isFalse();
    }
}
