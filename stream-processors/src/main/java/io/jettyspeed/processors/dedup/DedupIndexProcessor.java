package io.jettyspeed.processors.dedup;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.skeleton.EventProcessor;
import io.jettyspeed.schemas.CloneKind;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.DedupCheckSource;
import io.jettyspeed.schemas.DedupClone;
import io.jettyspeed.schemas.StoredFile;
import io.jettyspeed.schemas.UploadSession;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per content hash: the first completed upload registers the canonical {@link StoredFile}; later
 * completions of the same hash by other sessions and check-duplicate hits become
 * {@link DedupClone}s. Emits StoredFile keyed by fileHash and DedupClone keyed by userId.
 */
final class DedupIndexProcessor extends EventProcessor<DedupInput, DedupOutput> {

    static final String NAME = "dedup-index";

    private final DedupIndexConfig config;
    private KeyValueStore<String, StoredFile> store;

    DedupIndexProcessor(DedupIndexConfig config) {
        // No late check: an index entry has no newest event time. The sweep only takes the store-size metric.
        super(NAME, StoreNames.DEDUP_EVENT_IDS, config.dedupWindow(), null, DedupIndexConfig.METRICS_INTERVAL);
        this.config = config;
    }

    @Override
    protected List<KeyValueStore<?, ?>> open(ProcessorContext<String, DedupOutput> context) {
        this.store = context.getStateStore(StoreNames.FILE_INDEX);
        return List.of(store);
    }

    @Override
    public void process(Record<String, DedupInput> record) {
        if (record.value() instanceof DedupInput.Completion completion) {
            completed(record.key(), completion, record.timestamp());
        } else if (record.value() instanceof DedupInput.Check check
                && check.value().getSource() == DedupCheckSource.CHECK_DUPLICATE) {
            checked(record.key(), check, record.timestamp());
        }
    }

    private void completed(String fileHash, DedupInput.Completion completion, long timestamp) {
        UploadSession session = completion.value();
        Instant at = Instant.ofEpochMilli(completion.eventTime());
        // A completed session is re-published when a late chunk or event touches it: count it once.
        if (!firstTime(completion)) {
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
            context.forward(new Record<>(fileHash, new DedupOutput.Indexed(registered), timestamp));
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

    private void checked(String fileHash, DedupInput.Check event, long timestamp) {
        StoredFile file = store.get(fileHash);
        if (file == null || !firstTime(event)) {
            return;
        }
        DedupCheck check = event.value();
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
        context.forward(new Record<>(file.getFileHash(), new DedupOutput.Indexed(updated), timestamp));
        context.forward(new Record<>(fact.getUserId(), new DedupOutput.Cloned(fact), timestamp));
    }
}
