package io.jettyspeed.gateway.state;

import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.StoredFile;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UploadSessionStatus;
import io.jettyspeed.schemas.UserStats;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's local copies of the processors' aggregates: edge health, the dedup file index,
 * upload sessions and per-user stats, plus an index of sessions by {@code (userId, fileHash)} so a
 * second device can find the upload to resume.
 */
public final class AggregateViews implements AutoCloseable {

    private final CompactedTopicView<EdgeHealth> edgeHealth;
    private final CompactedTopicView<StoredFile> fileIndex;
    private final CompactedTopicView<UploadSession> uploadSessions;
    private final CompactedTopicView<UserStats> userStats;
    private final ConcurrentHashMap<String, String> sessionByUserAndHash = new ConcurrentHashMap<>();

    public AggregateViews(Topics topics, String bootstrapServers) {
        this.edgeHealth = new CompactedTopicView<>(topics.edgeHealth(), bootstrapServers);
        this.fileIndex = new CompactedTopicView<>(topics.fileIndex(), bootstrapServers);
        this.uploadSessions = new CompactedTopicView<>(topics.uploadSessions(), bootstrapServers);
        this.userStats = new CompactedTopicView<>(topics.userStats(), bootstrapServers);
        uploadSessions.addListener((key, previous, current) -> indexSession(current));
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

    public CompactedTopicView<EdgeHealth> edgeHealth() {
        return edgeHealth;
    }

    public Optional<StoredFile> storedFile(String fileHash) {
        return fileIndex.get(fileHash);
    }

    public Optional<UploadSession> session(String sessionId) {
        return uploadSessions.get(sessionId);
    }

    /** The most recently active session of this user for this content, if any. */
    public Optional<UploadSession> sessionFor(String userId, String fileHash) {
        return Optional.ofNullable(sessionByUserAndHash.get(userId + '/' + fileHash)).flatMap(uploadSessions::get);
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

    private void indexSession(UploadSession session) {
        if (session == null || session.getUserId() == null || session.getFileHash() == null) {
            return;
        }
        String key = session.getUserId() + '/' + session.getFileHash();
        sessionByUserAndHash.merge(key, session.getSessionId(), (existingId, candidateId) -> {
            if (existingId.equals(candidateId)) {
                return existingId;
            }
            UploadSession existing = uploadSessions.get(existingId).orElse(null);
            return existing == null || prefer(session, existing) ? candidateId : existingId;
        });
    }

    /** A resumable session beats a finished one; among equals, the most recent activity wins. */
    private static boolean prefer(UploadSession candidate, UploadSession existing) {
        boolean candidateOpen = isResumable(candidate.getStatus());
        boolean existingOpen = isResumable(existing.getStatus());
        if (candidateOpen != existingOpen) {
            return candidateOpen;
        }
        return !candidate.getLastActivityAt().isBefore(existing.getLastActivityAt());
    }

    public static boolean isResumable(UploadSessionStatus status) {
        return status == UploadSessionStatus.STARTED || status == UploadSessionStatus.UPLOADING
                || status == UploadSessionStatus.FAILED;
    }

    @Override
    public void close() {
        all().forEach(CompactedTopicView::close);
    }
}
