package io.jettyspeed.gateway.uploads;

import static io.jettyspeed.gateway.validation.Limits.MIN_CHUNK_SIZE;
import static io.jettyspeed.schemas.EventLimits.MAX_CHUNK_SIZE;
import static io.jettyspeed.schemas.EventLimits.MAX_DURATION_MS;
import static io.jettyspeed.schemas.EventLimits.MAX_EDGE_IDS;
import static io.jettyspeed.schemas.EventLimits.MAX_ERROR_LENGTH;
import static io.jettyspeed.schemas.EventLimits.MAX_FILE_NAME_LENGTH;
import static io.jettyspeed.schemas.EventLimits.MAX_FILE_SIZE;

import io.jettyspeed.gateway.sessions.SessionIds;
import io.jettyspeed.gateway.validation.EventMeta;
import io.jettyspeed.gateway.validation.FieldReader;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.CompletedChunks;
import io.jettyspeed.schemas.Plan;
import io.jettyspeed.schemas.UploadAction;
import io.jettyspeed.schemas.UploadEvent;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code track-upload} and {@code cache-chunk} bodies (and the upload and chunk events of a
 * batch) into Avro events, naming every invalid field. Each reader returns null when its object
 * had any problem.
 */
public final class UploadRequests {

    static final Map<String, UploadAction> ACTIONS = words(UploadAction.START, "start", UploadAction.PROGRESS,
            "progress", UploadAction.COMPLETE, "complete", UploadAction.FAIL, "fail");
    static final Map<String, ChunkStatus> STATUSES = words(ChunkStatus.PENDING, "pending", ChunkStatus.UPLOADING,
            "uploading", ChunkStatus.COMPLETED, "completed", ChunkStatus.FAILED, "failed");
    static final Map<String, Plan> PLANS = words(Plan.STARTER, "starter", Plan.PRO, "pro", Plan.BUSINESS, "business");

    private static final String UPLOAD_TARGET = "must be a known edge id (edge-sfo, edge-fra, ...) or "
            + EdgeCatalog.DIRECT_STORAGE_ID;

    /** Most chunks one file may have (the processors' bound on a session's chunk ranges). */
    static final long MAX_CHUNKS = CompletedChunks.MAX_CHUNKS_PER_FILE;

    private UploadRequests() {
    }

    /**
     * A {@code track-upload} body. A {@code start} may not name a session: the gateway assigns its
     * id ({@link SessionIds}), so that nobody can squat or predict another user's session.
     */
    public static UploadEvent uploadEvent(FieldReader r, SessionIds sessionIds) {
        int errorsBefore = r.checks().errorCount();
        String eventId = EventMeta.eventId(r);
        Instant eventTime = EventMeta.eventTime(r);
        UploadAction action = r.oneOf("action", ACTIONS, true);
        boolean start = action == UploadAction.START;
        String userId = r.checks().actFor(r.id("userId", false), r.path("userId"), true);
        String sessionId = null;
        if (start && r.has("sessionId")) {
            r.invalid("sessionId", "must not be sent with start: the gateway assigns the session id (retry with the"
                    + " same eventId to get the same one)");
        } else {
            sessionId = r.id("sessionId", action != null && !start);
        }
        String fileName = r.string("fileName", MAX_FILE_NAME_LENGTH, start);
        Long fileSize = r.integer("fileSize", 0, MAX_FILE_SIZE, start);
        String fileHash = r.fileHash("fileHash", false);
        Long chunkSize = r.integer("chunkSize", MIN_CHUNK_SIZE, MAX_CHUNK_SIZE, false);
        Long totalChunks = r.integer("totalChunks", 0, MAX_CHUNKS, false);
        Long bytesUploaded = r.integer("bytesUploaded", 0, MAX_FILE_SIZE, false);
        List<String> edgeIds = r.ids("edgeIds", MAX_EDGE_IDS, UploadRequests::isUploadTarget, UPLOAD_TARGET);
        String error = r.string("error", MAX_ERROR_LENGTH, false);
        String deviceId = r.id("deviceId", false);
        Plan plan = accountPlan(r, r.oneOf("plan", PLANS, false));
        if (fileSize != null && chunkSize != null) {
            long expected = expectedChunks(fileSize, chunkSize);
            if (expected > MAX_CHUNKS) {
                r.invalid("chunkSize", "must be at least " + minChunkSize(fileSize) + " bytes for this file: a file may"
                        + " have at most " + MAX_CHUNKS + " chunks");
            } else if (totalChunks != null && totalChunks != expected && !(fileSize == 0 && totalChunks <= 1)) {
                r.invalid("totalChunks", "must be ceil(fileSize / chunkSize) = " + expected);
            }
        }
        if (fileSize != null && bytesUploaded != null && bytesUploaded > fileSize) {
            r.invalid("bytesUploaded", "must not exceed fileSize (" + fileSize + ")");
        }
        if (r.checks().errorCount() > errorsBefore) {
            return null;
        }
        if (start) {
            sessionId = sessionIds.newSessionId(userId, r.has("eventId") ? eventId : null);
        }
        return UploadEvent.newBuilder()
                .setEventId(eventId)
                .setEventTime(eventTime)
                .setReceivedAt(receivedAt(r))
                .setAction(action)
                .setSessionId(sessionId)
                .setUserId(userId)
                .setFileHash(fileHash)
                .setFileName(fileName)
                .setFileSize(fileSize)
                .setChunkSize(chunkSize == null ? null : chunkSize.intValue())
                .setTotalChunks(totalChunks == null ? null : totalChunks.intValue())
                .setBytesUploaded(bytesUploaded)
                .setEdgeIds(edgeIds)
                .setPlan(plan)
                .setDeviceId(deviceId)
                .setErrorMessage(error)
                .build();
    }

    /**
     * The plan sets the user's quota, so it is the account's ({@code users.plan}), not the client's
     * to choose: a client key may repeat its account's plan but not name another. Admin keys (the
     * simulator, back-office imports) may state it.
     */
    private static Plan accountPlan(FieldReader r, Plan requested) {
        var caller = r.checks().caller();
        if (!caller.isBoundToUser()) {
            return requested;
        }
        Plan account = caller.accountPlan();
        if (requested != null && requested != (account == null ? Plan.STARTER : account)) {
            r.checks().forbidden(r.path("plan"), "is the account's plan ("
                    + (account == null ? Plan.STARTER : account).name().toLowerCase(java.util.Locale.ROOT)
                    + "); a client key cannot change it");
        }
        return account;
    }

    /** A {@code cache-chunk} body. {@code chunkSize} (the seed's name) and {@code chunkBytes} both mean this chunk's size. */
    public static ChunkEvent chunkEvent(FieldReader r) {
        int errorsBefore = r.checks().errorCount();
        String eventId = EventMeta.eventId(r);
        Instant eventTime = EventMeta.eventTime(r);
        String sessionId = r.id("sessionId", true);
        Long chunkIndex = r.integer("chunkIndex", 0, MAX_CHUNKS - 1, true);
        ChunkStatus status = r.oneOf("status", STATUSES, true);
        String userId = r.checks().actFor(r.id("userId", false), r.path("userId"), false);
        String edgeId = r.string("edgeId", 64, false);
        if (edgeId != null && !isUploadTarget(edgeId)) {
            r.invalid("edgeId", UPLOAD_TARGET);
        }
        Long chunkBytes = r.integer("chunkBytes", 0, MAX_CHUNK_SIZE, false);
        Long chunkSize = r.integer("chunkSize", 0, MAX_CHUNK_SIZE, false);
        if (chunkBytes != null && chunkSize != null && !chunkBytes.equals(chunkSize)) {
            r.invalid("chunkSize", "must equal chunkBytes when both are sent");
        }
        Long durationMs = r.integer("durationMs", 0, MAX_DURATION_MS, false);
        Long totalChunks = r.integer("totalChunks", 1, MAX_CHUNKS, false);
        if (chunkIndex != null && totalChunks != null && chunkIndex >= totalChunks) {
            r.invalid("chunkIndex", "must be less than totalChunks (" + totalChunks + ")");
        }
        String error = r.string("error", MAX_ERROR_LENGTH, false);
        if (r.checks().errorCount() > errorsBefore) {
            return null;
        }
        return ChunkEvent.newBuilder()
                .setEventId(eventId)
                .setEventTime(eventTime)
                .setReceivedAt(receivedAt(r))
                .setSessionId(sessionId)
                .setUserId(userId)
                .setChunkIndex(chunkIndex.intValue())
                .setStatus(status)
                .setEdgeId(edgeId)
                .setChunkBytes(chunkBytes != null ? chunkBytes : chunkSize)
                .setDurationMs(durationMs)
                .setErrorMessage(error)
                .build();
    }

    static boolean isUploadTarget(String edgeId) {
        return EdgeCatalog.isKnownEdge(edgeId) || EdgeCatalog.DIRECT_STORAGE_ID.equals(edgeId);
    }

    static long expectedChunks(long fileSize, long chunkSize) {
        return (fileSize + chunkSize - 1) / chunkSize;
    }

    /** The smallest chunk size that splits a file into at most {@link #MAX_CHUNKS} chunks. */
    static long minChunkSize(long fileSize) {
        return Math.max(MIN_CHUNK_SIZE, (fileSize + MAX_CHUNKS - 1) / MAX_CHUNKS);
    }

    private static Instant receivedAt(FieldReader r) {
        return r.checks().now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private static <E> Map<String, E> words(Object... pairs) {
        Map<String, E> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            E value = (E) pairs[i];
            map.put((String) pairs[i + 1], value);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
