package io.jettyspeed.processors;

/**
 * Every state store of the processors, in one place: the names end up in changelog topics and in
 * interactive queries, so renaming one is a migration, not a refactoring.
 */
public final class StoreNames {

    /** Edge id → {@code EdgeHealth} (RocksDB). Bounded by the edge catalogue: only catalogued edges get an entry. */
    public static final String EDGE_HEALTH = "edge-health-store";
    /** Event ids of edge observations already applied (windowed). */
    public static final String EDGE_EVENT_IDS = "edge-event-ids";

    /** Content hash → canonical {@code StoredFile} (RocksDB). One entry per distinct stored content. */
    public static final String FILE_INDEX = "file-index-store";
    /** Event ids of dedup checks and session ids of completions already applied (windowed). */
    public static final String DEDUP_EVENT_IDS = "dedup-event-ids";
    /**
     * fileHash + NUL + check event id → a {@code DedupCheck} that arrived before its content's completion
     * (re-read, replayed dead letter); it becomes a clone when the completion comes, or is dropped after
     * the wait. At most {@code MAX_WAITING_CHECKS_PER_HASH} per hash.
     */
    public static final String DEDUP_WAITING_CHECKS = "dedup-waiting-checks";
    /** Time index of {@link #DEDUP_WAITING_CHECKS}: padded deadline + waiting key → waiting key. */
    public static final String DEDUP_WAITING_CHECK_DEADLINES = "dedup-waiting-check-deadlines";

    /** Session id → {@code UploadSession} (RocksDB); finished sessions leave it after the retention. */
    public static final String UPLOAD_SESSIONS = "upload-sessions-store";
    /** Time index of {@link #UPLOAD_SESSIONS}: padded deadline + session id → session id (expiry, forgetting, retention). */
    public static final String UPLOAD_SESSION_DEADLINES = "upload-session-deadlines";
    /** Event ids of upload and chunk events already applied (windowed). */
    public static final String SESSION_EVENT_IDS = "session-event-ids";

    /** User id → {@code UserStats} (RocksDB). One entry per user. */
    public static final String USER_STATS = "user-stats-store";
    /** userId + NUL + sessionId → the last {@code UploadSession} counted into the user's stats. */
    public static final String USER_SESSION_CONTRIBUTIONS = "user-session-contributions";
    /** Time index of {@link #USER_SESSION_CONTRIBUTIONS}: padded deadline + contribution key → contribution key. */
    public static final String USER_CONTRIBUTION_DEADLINES = "user-contribution-deadlines";
    /** Event ids of clone facts already applied (windowed). */
    public static final String USER_EVENT_IDS = "user-event-ids";

    private StoreNames() {
    }
}
