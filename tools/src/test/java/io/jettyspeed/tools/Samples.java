package io.jettyspeed.tools;

import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.Plan;
import io.jettyspeed.schemas.UserStats;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Records as the services write them, for the tools' tests. */
public final class Samples {

    public static final Instant AT = Instant.parse("2025-06-01T12:00:00Z");

    private Samples() {
    }

    public static ChunkEvent chunk(String eventId, String sessionId, int index) {
        return ChunkEvent.newBuilder().setEventId(eventId).setEventTime(AT).setReceivedAt(AT.plusMillis(5))
                .setSessionId(sessionId).setUserId("usr_1").setChunkIndex(index).setStatus(ChunkStatus.COMPLETED)
                .setEdgeId("edge-fra").setChunkBytes(8_388_608L).setDurationMs(420L).build();
    }

    public static byte[] encoded(ChunkEvent chunk) {
        return AvroSerde.of(ChunkEvent.class).encode(chunk);
    }

    public static UserStats stats(String userId, long uploads) {
        return UserStats.newBuilder().setUserId(userId).setPlan(Plan.PRO).setQuotaBytes(20_000_000_000L)
                .setStorageUsedBytes(uploads * 1000).setUploadsStarted(uploads).setUploadsCompleted(uploads)
                .setUploadsFailed(0).setUploadsExpired(0).setBytesUploaded(uploads * 1000).setClones(0).setBytesSaved(0)
                .setSecondsSaved(0).setUpdatedAt(AT).build();
    }

    public static DeadLetter letter(DeadLetterReason reason, String sourceTopic, int partition, long offset, String key,
            byte[] value, Instant failedAt) {
        return DeadLetter.newBuilder().setReason(reason).setDescription("rejected: " + reason)
                .setExceptionClass(reason == DeadLetterReason.UNDECODABLE ? "org.apache.kafka.common.errors.SerializationException" : null)
                .setSourceTopic(sourceTopic).setSourcePartition(partition).setSourceOffset(offset)
                .setProcessor("test").setKey(key == null ? null : ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)))
                .setValue(value == null ? null : ByteBuffer.wrap(value)).setFailedAt(failedAt).build();
    }

    public static byte[] encoded(DeadLetter letter) {
        return AvroSerde.of(DeadLetter.class).encode(letter);
    }
}
