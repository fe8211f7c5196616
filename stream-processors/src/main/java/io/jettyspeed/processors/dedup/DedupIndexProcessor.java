package io.jettyspeed.processors.dedup;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.errors.DropCounter;
import io.jettyspeed.processors.skeleton.EventProcessor;
import io.jettyspeed.processors.state.DeadlineIndex;
import io.jettyspeed.schemas.CloneKind;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.DedupCheckSource;
import io.jettyspeed.schemas.DedupClone;
import io.jettyspeed.schemas.StoredFile;
import io.jettyspeed.schemas.UploadSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per content hash: the first completed upload registers the canonical {@link StoredFile}; later
 * completions of the same hash by other sessions and check-duplicate hits become
 * {@link DedupClone}s. Emits StoredFile keyed by fileHash and DedupClone keyed by userId.
 *
 * <p>Every check on the topic is a hit the gateway answered, so a check of a hash that is not indexed
 * yet (its completion comes later: a re-read, where the completions are re-derived through another
 * application and a repartition topic, or a replayed dead letter) is not a miss: it waits in
 * {@link StoreNames#DEDUP_WAITING_CHECKS} and becomes its clone when the completion registers the
 * hash. A check still waiting after {@code checkWait} (processor clock) is dropped, counted with reason
 * {@code check-without-completion}; at most {@link #MAX_WAITING_CHECKS_PER_HASH} wait per hash, more
 * are dropped with reason {@code too-many-waiting-checks}. Expiry reads the deadline index
 * {@link StoreNames#DEDUP_WAITING_CHECK_DEADLINES} (only due entries, at most {@link #MAX_SWEEP_ENTRIES}
 * per run); an entry whose check was matched stays there until due and is then skipped.
 */
final class DedupIndexProcessor extends EventProcessor<DedupInput, DedupOutput> {

    static final String NAME = "dedup-index";
    /** Live no check waits at all; in a re-read a popular file's checks wait together, so allow many. */
    static final int MAX_WAITING_CHECKS_PER_HASH = 1_000;
    static final int MAX_SWEEP_ENTRIES = 10_000;

    private final DedupIndexConfig config;
    private KeyValueStore<String, StoredFile> store;
    private KeyValueStore<String, DedupCheck> waiting;
    private DeadlineIndex deadlines;
    private DropCounter unmatched;
    private DropCounter overflow;

    DedupIndexProcessor(DedupIndexConfig config) {
        // No late check: an index entry has no newest event time.
        super(NAME, StoreNames.DEDUP_EVENT_IDS, config.dedupWindow(), null, DedupIndexConfig.METRICS_INTERVAL);
        this.config = config;
    }

    @Override
    protected List<KeyValueStore<?, ?>> open(ProcessorContext<String, DedupOutput> context) {
        this.store = context.getStateStore(StoreNames.FILE_INDEX);
        this.waiting = context.getStateStore(StoreNames.DEDUP_WAITING_CHECKS);
        this.deadlines = DeadlineIndex.open(context, StoreNames.DEDUP_WAITING_CHECK_DEADLINES,
                DedupIndexConfig.METRICS_INTERVAL, NAME);
        this.unmatched = DropCounter.register(context, NAME, "check-without-completion");
        this.overflow = DropCounter.register(context, NAME, "too-many-waiting-checks");
        return List.of(store, waiting, deadlines.store());
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
            cloneWaitingChecks(registered, timestamp);
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
        if (!firstTime(event)) {
            return;
        }
        StoredFile file = store.get(fileHash);
        if (file != null) {
            instantClone(file, event.value(), timestamp);
        } else {
            await(fileHash, event.value());
        }
    }

    /** Keeps a check of content not indexed yet until its completion comes (or its wait is over). */
    private void await(String fileHash, DedupCheck check) {
        List<KeyValue<String, DedupCheck>> already = waitingChecks(fileHash);
        if (already.size() >= MAX_WAITING_CHECKS_PER_HASH) {
            overflow.record();
            return;
        }
        String key = waitingKey(fileHash, check.getEventId());
        waiting.put(key, check);
        deadlines.move(key, null, context.currentSystemTimeMs() + config.checkWait().toMillis());
    }

    /** The content was just registered: every check that waited for it is the clone its user was told it got. */
    private void cloneWaitingChecks(StoredFile registered, long timestamp) {
        StoredFile file = registered;
        for (KeyValue<String, DedupCheck> entry : waitingChecks(registered.getFileHash())) {
            waiting.delete(entry.key);
            file = instantClone(file, entry.value, timestamp);
        }
    }

    private List<KeyValue<String, DedupCheck>> waitingChecks(String fileHash) {
        List<KeyValue<String, DedupCheck>> checks = new ArrayList<>();
        try (KeyValueIterator<String, DedupCheck> entries = waiting.prefixScan(fileHash + '\u0000', new StringSerializer())) {
            // Stops one past the bound: enough to tell that the hash is full.
            while (entries.hasNext() && checks.size() <= MAX_WAITING_CHECKS_PER_HASH) {
                checks.add(entries.next());
            }
        }
        return checks;
    }

    private static String waitingKey(String fileHash, String checkEventId) {
        return fileHash + '\u0000' + checkEventId;
    }

    /** Drops (and counts) the checks whose wait is over without their completion having come. */
    @Override
    protected void sweep(long now) {
        for (DeadlineIndex.Due due : deadlines.due(now, MAX_SWEEP_ENTRIES)) {
            deadlines.remove(due);
            // Absent: matched by its completion since; its index entry was left to expire here.
            if (waiting.delete(due.id()) != null) {
                unmatched.record();
            }
        }
    }

    private StoredFile instantClone(StoredFile file, DedupCheck check, long timestamp) {
        return clone(file, DedupClone.newBuilder()
                .setEventId("check:" + check.getEventId())
                .setUserId(check.getUserId())
                .setKind(CloneKind.INSTANT_CLONE)
                .setEstimatedSecondsSaved(file.getFileSize() / DedupIndexConfig.ASSUMED_UPLOAD_BYTES_PER_SECOND)
                .setClonedAt(check.getEventTime()), timestamp);
    }

    private StoredFile clone(StoredFile file, DedupClone.Builder clone, long timestamp) {
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
        return updated;
    }
}
