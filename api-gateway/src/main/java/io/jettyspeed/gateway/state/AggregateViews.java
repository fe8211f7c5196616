package io.jettyspeed.gateway.state;

import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.SessionStatuses;
import io.jettyspeed.schemas.StoredFile;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UploadSessionStatus;
import io.jettyspeed.schemas.UserStats;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's local copies of the processors' aggregates: edge health, the dedup file index,
 * upload sessions and per-user stats, plus an index of sessions by {@code (userId, fileHash)} so a
 * second device can find the upload to resume (and a dedup check in {@code user} scope can tell
 * whether the user already uploaded some content).
 *
 * <p>Everything here shrinks again: a tombstone on a compacted topic (the processors tombstone
 * finished sessions after a retention) removes the entry from its view and the session from the
 * {@code (userId, fileHash)} index, so no copy grows with the lifetime of the deployment.
 */
public final class AggregateViews implements AutoCloseable {

    private final CompactedTopicView<EdgeHealth> edgeHealth;
    private final CompactedTopicView<StoredFile> fileIndex;
    private final CompactedTopicView<UploadSession> uploadSessions;
    private final CompactedTopicView<UserStats> userStats;
    /** {@code userId/fileHash} → ids of that user's sessions for that content (usually one). */
    private final ConcurrentHashMap<String, Set<String>> sessionsByUserAndHash = new ConcurrentHashMap<>();

    public AggregateViews(Topics topics, String bootstrapServers) {
        this.edgeHealth = new CompactedTopicView<>(topics.edgeHealth(), bootstrapServers);
        this.fileIndex = new CompactedTopicView<>(topics.fileIndex(), bootstrapServers);
        this.uploadSessions = new CompactedTopicView<>(topics.uploadSessions(), bootstrapServers);
        this.userStats = new CompactedTopicView<>(topics.userStats(), bootstrapServers);
        uploadSessions.addListener(this::sessionChanged);
    }

    public void start() {
        all().forEach(CompactedTopicView::start);
    }

    public boolean isCaughtUp() {
        return all().stream().allMatch(CompactedTopicView::isCaughtUp);
    }

    public List<CompactedTopicView<?>> all() {
        return List.of(edgeHealth, fileIndex, uploadSessions, userStats);
    }

    /** The copy of one aggregate topic. */
    public CompactedTopicView<?> view(ViewKind kind) {
        return switch (kind) {
            case EDGE_HEALTH -> edgeHealth;
            case FILE_INDEX -> fileIndex;
            case UPLOAD_SESSIONS -> uploadSessions;
            case USER_STATS -> userStats;
        };
    }

    public CompactedTopicView<EdgeHealth> edgeHealth() {
        return edgeHealth;
    }

    public Optional<StoredFile> storedFile(String fileHash) {
        return fileIndex.get(fileHash);
    }

    public Optional<UploadSession> session(String sessionId) {
        return uploadSessions.get(sessionId);
    }

    /** The session of this user for this content to resume: an open one before a finished one, then the most recent. */
    public Optional<UploadSession> sessionFor(String userId, String fileHash) {
        return sessionsOf(userId, fileHash).reduce((a, b) -> prefer(b, a) ? b : a);
    }

    /** Whether this user has a completed upload of this content (still retained in the sessions topic). */
    public boolean hasCompletedUpload(String userId, String fileHash) {
        return sessionsOf(userId, fileHash).anyMatch(s -> s.getStatus() == UploadSessionStatus.COMPLETED);
    }

    private java.util.stream.Stream<UploadSession> sessionsOf(String userId, String fileHash) {
        Set<String> ids = sessionsByUserAndHash.get(indexKey(userId, fileHash));
        if (ids == null) {
            return java.util.stream.Stream.empty();
        }
        return ids.stream().map(uploadSessions::get).flatMap(Optional::stream);
    }

    public Optional<UserStats> userStats(String userId) {
        return userStats.get(userId);
    }

    /** Every user's stats, for the dashboard's totals (which also listens to it for changes). */
    public CompactedTopicView<UserStats> userStatsView() {
        return userStats;
    }

    /** How many distinct contents the dedup index holds. */
    public int storedFileCount() {
        return fileIndex.size();
    }

    /** How many {@code (userId, fileHash)} pairs the resume index holds. */
    public int sessionIndexSize() {
        return sessionsByUserAndHash.size();
    }

    /** Keeps the {@code (userId, fileHash)} index in step with the sessions view: adds, moves and removes on tombstones. */
    private void sessionChanged(String sessionId, UploadSession previous, UploadSession current) {
        String before = previous == null ? null : indexKey(previous.getUserId(), previous.getFileHash());
        String after = current == null ? null : indexKey(current.getUserId(), current.getFileHash());
        if (before != null && !before.equals(after)) {
            sessionsByUserAndHash.computeIfPresent(before, (key, ids) -> {
                Set<String> rest = new HashSet<>(ids);
                rest.remove(sessionId);
                return rest.isEmpty() ? null : Set.copyOf(rest);
            });
        }
        if (after != null) {
            sessionsByUserAndHash.compute(after, (key, ids) -> {
                if (ids != null && ids.contains(sessionId)) {
                    return ids;
                }
                Set<String> more = ids == null ? new HashSet<>() : new HashSet<>(ids);
                more.add(sessionId);
                return Set.copyOf(more);
            });
        }
    }

    private static String indexKey(String userId, String fileHash) {
        return userId == null || fileHash == null ? null : userId + '/' + fileHash;
    }

    /** A resumable session beats a finished one; among equals, the most recent activity wins. */
    private static boolean prefer(UploadSession candidate, UploadSession existing) {
        boolean candidateOpen = SessionStatuses.isResumable(candidate.getStatus());
        boolean existingOpen = SessionStatuses.isResumable(existing.getStatus());
        if (candidateOpen != existingOpen) {
            return candidateOpen;
        }
        return !candidate.getLastActivityAt().isBefore(existing.getLastActivityAt());
    }

    @Override
    public void close() {
        all().forEach(CompactedTopicView::close);
    }
}
