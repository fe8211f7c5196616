package io.jettyspeed.gateway;

import io.jettyspeed.schemas.StoredFile;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UploadSessionStatus;
import io.jettyspeed.testing.SharedKafka;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes aggregate records (what the processors would publish) straight to a compacted topic, so a
 * gateway test can put the dedup index and the sessions into a known state without running the
 * processors; a null value is a tombstone.
 */
final class AggregateRecords {

    private AggregateRecords() {
    }

    static <V> void write(Topic<String, V> topic, String key, V value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", SharedKafka.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            byte[] bytes = value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
            producer.send(new ProducerRecord<>(topic.name(), key, bytes)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + topic.name(), e);
        }
    }

    static StoredFile storedFile(String hash, String owner) {
        Instant now = Instant.now();
        return StoredFile.newBuilder().setFileHash(hash).setOwnerUserId(owner).setSessionId("sess_of_" + owner)
                .setFileName("secret-plans.pdf").setFileSize(4_194_304L).setLocation("https://storage.example/" + hash)
                .setFirstSeen(now).setLastReferencedAt(now).setReferenceCount(3).setCloneCount(2).setBytesSaved(0)
                .setSecondsSaved(0).build();
    }

    static UploadSession session(String sessionId, String userId, String hash, UploadSessionStatus status,
            Instant lastActivity) {
        return UploadSession.newBuilder().setSessionId(sessionId).setUserId(userId).setFileHash(hash)
                .setFileName("f.bin").setFileSize(10L).setChunkSize(65_536).setTotalChunks(1).setStatus(status)
                .setCompletedChunks(status == UploadSessionStatus.COMPLETED ? 1 : 0).setFailedChunks(0)
                .setBytesUploaded(status == UploadSessionStatus.COMPLETED ? 10 : 0).setUpdatedAt(lastActivity)
                .setAnnounced(true).setLastActivityAt(lastActivity).build();
    }
}
