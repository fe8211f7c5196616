package io.jettyspeed.processors.dedup;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.errors.EventIdDeduplicator;
import io.jettyspeed.processors.state.StoreSizes;
import io.jettyspeed.schemas.CloneKind;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.DedupCheckSource;
import io.jettyspeed.schemas.DedupClone;
import io.jettyspeed.schemas.StoredFile;
import io.jettyspeed.schemas.UploadSession;
import java.time.Instant;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per content hash: the first completed upload registers the canonical {@link StoredFile}; later
 * completions of the same hash by other sessions and check-duplicate hits become
 * {@link DedupClone}s. Emits StoredFile keyed by fileHash and DedupClone keyed by userId.
 */
final class DedupIndexProcessor implements Processor<String, Object, String, Object> {

    static final String NAME = "dedup-index";

    private final DedupIndexConfig config;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, StoredFile> store;
    private EventIdDeduplicator seen;

    DedupIndexProcessor(DedupIndexConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.FILE_INDEX);
        this.seen = EventIdDeduplicator.open(context, StoreNames.DEDUP_EVENT_IDS, config.dedupWindow(), NAME);
        StoreSizes sizes = StoreSizes.register(context, NAME, store);
        context.schedule(DedupIndexConfig.METRICS_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> sizes.record());
    }

    @Override
    public void process(Record<String, Object> record) {
        if (record.value() instanceof UploadSession session) {
            completed(record.key(), session, record.timestamp());
        } else if (record.value() instanceof DedupCheck check && check.getSource() == DedupCheckSource.CHECK_DUPLICATE) {
            checked(record.key(), check, record.timestamp());
        }
    }

    private void completed(String fileHash, UploadSession session, long timestamp) {
        Instant at = session.getCompletedAt() != null ? session.getCompletedAt() : session.getUpdatedAt();
        // A completed session is re-published when a late chunk or event touches it: count it once.
        if (!seen.firstTime("session:" + session.getSessionId(), at.toEpochMilli())) {
            return;
        }
        StoredFile file = store.get(fileHash);
        if (file == null) {
            StoredFile registered = StoredFile.newBuilder()
                    .setFileHash(fileHash)
                    .setOwnerUserId(session.getUserId())
                    .setSessionId(session.getSessionId())
                    .setFileName(session.getFileName())
                    .setFileSize(session.getFileSize())
                    .setLocation(config.storageBaseUrl() + "/" + fileHash)
                    .setFirstSeen(at)
                    .setLastReferencedAt(at)
                    .setReferenceCount(1)
                    .setCloneCount(0)
                    .setBytesSaved(0)
                    .setSecondsSaved(0)
                    .build();
            store.put(fileHash, registered);
            context.forward(new Record<>(fileHash, (Object) registered, timestamp));
            return;
        }
        if (file.getSessionId().equals(session.getSessionId())) {
            return;
        }
        // A racing first upload that lost: its bytes were transferred, but only one copy is kept.
        clone(file, DedupClone.newBuilder()
                .setEventId("upload:" + session.getSessionId())
                .setUserId(session.getUserId())
                .setSessionId(session.getSessionId())
                .setKind(CloneKind.DUPLICATE_UPLOAD)
                .setEstimatedSecondsSaved(0)
                .setClonedAt(at), timestamp);
    }

    private void checked(String fileHash, DedupCheck check, long timestamp) {
        StoredFile file = store.get(fileHash);
        if (file == null || !seen.firstTime("check:" + check.getEventId(), check.getEventTime().toEpochMilli())) {
            return;
        }
        clone(file, DedupClone.newBuilder()
                .setEventId("check:" + check.getEventId())
                .setUserId(check.getUserId())
                .setKind(CloneKind.INSTANT_CLONE)
                .setEstimatedSecondsSaved(file.getFileSize() / DedupIndexConfig.ASSUMED_UPLOAD_BYTES_PER_SECOND)
                .setClonedAt(check.getEventTime()), timestamp);
    }

    private void clone(StoredFile file, DedupClone.Builder clone, long timestamp) {
        DedupClone fact = clone.setFileHash(file.getFileHash())
                .setOwnerUserId(file.getOwnerUserId())
                .setFileSize(file.getFileSize())
                .setBytesSaved(file.getFileSize())
                .build();
        StoredFile updated = StoredFile.newBuilder(file)
                .setReferenceCount(file.getReferenceCount() + 1)
                .setCloneCount(file.getCloneCount() + 1)
                .setBytesSaved(file.getBytesSaved() + fact.getBytesSaved())
                .setSecondsSaved(file.getSecondsSaved() + fact.getEstimatedSecondsSaved())
                .setLastReferencedAt(fact.getClonedAt().isAfter(file.getLastReferencedAt()) ? fact.getClonedAt()
                        : file.getLastReferencedAt())
                .build();
        store.put(file.getFileHash(), updated);
        context.forward(new Record<>(file.getFileHash(), (Object) updated, timestamp));
        context.forward(new Record<>(fact.getUserId(), (Object) fact, timestamp));
    }
}
