package io.jettyspeed.gateway.dedup;

import io.jettyspeed.gateway.GatewayProperties.DedupScope;
import io.jettyspeed.gateway.security.Caller;
import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.gateway.state.FreshReads;
import io.jettyspeed.schemas.StoredFile;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dedup answer (check-duplicate, optimal-edges, a batch's dedup-check) for one user and one
 * content hash, from the {@link FileIndexView}.
 *
 * <p>Privacy: a user never learns who stored content they did not upload themselves. A hit tells a
 * client key the content's size and where the stored copy is (what it needs to clone it), not its
 * owner, when it was first stored or how many others reference it; those go to the owner itself and
 * to {@code analyst} and {@code admin} keys. In {@code user} scope a hit happens only for content the
 * user already has (it owns the stored copy, or one of its own uploads of it completed), so the answer
 * confirms nothing about other users' files.
 *
 * <p>Freshness: a hit is a fact ({@code state: indexed}). A miss is {@code indexed} only when the
 * index (and in {@code user} scope the sessions copy) reflects everything acknowledged before the
 * question was asked; otherwise it is {@code pending}: not known yet, upload normally (a completed
 * duplicate upload still becomes a clone in the index). Every answer carries {@code asOf}, the
 * watermark of what it read.
 *
 * @param available whether the index could be asked (false: {@code state: unknown})
 * @param hit the stored file when the answer is a hit, else null
 * @param state {@code indexed}, {@code pending} or {@code unknown}
 * @param body the answer as sent: {@code isDuplicate}, {@code state}, {@code scope}, {@code asOf}, on a hit {@code existingFile}
 */
public record DedupAnswer(boolean available, StoredFile hit, String state, Map<String, Object> body) {

    public static final String INDEXED = "indexed";
    public static final String PENDING = "pending";
    public static final String UNKNOWN = "unknown";

    public boolean isDuplicate() {
        return hit != null;
    }

    public boolean isPending() {
        return PENDING.equals(state);
    }

    public static DedupAnswer of(FileIndexView index, DedupScope scope, Caller caller, String userId, String fileHash,
            FreshReads.Read read) {
        Map<String, Object> answer = new LinkedHashMap<>();
        if (!index.available()) {
            answer.put("isDuplicate", false);
            answer.put("state", UNKNOWN);
            answer.put("asOf", read.asOfText());
            answer.put("message", "The dedup index is not available yet; upload the file normally.");
            return new DedupAnswer(false, null, UNKNOWN, answer);
        }
        Optional<StoredFile> file = index.find(fileHash);
        boolean owner = file.isPresent() && userId != null && userId.equals(file.get().getOwnerUserId());
        boolean inScope = scope == DedupScope.GLOBAL || owner
                || (file.isPresent() && userId != null && index.hasCompletedUpload(userId, fileHash));
        StoredFile hit = file.isPresent() && inScope ? file.get() : null;
        String state = hit != null || read.fresh() ? INDEXED : PENDING;
        answer.put("isDuplicate", hit != null);
        answer.put("state", state);
        answer.put("scope", scope.name().toLowerCase(java.util.Locale.ROOT));
        answer.put("asOf", read.asOfText());
        if (hit == null && !read.fresh()) {
            answer.put("message", "Not known yet: the dedup index reflects the uploads completed before asOf, not yet "
                    + "all of those before this question; upload the file normally (ask with Prefer: wait=<seconds> "
                    + "to wait for the index).");
        }
        if (hit != null) {
            Map<String, Object> existing = new LinkedHashMap<>();
            existing.put("fileHash", hit.getFileHash());
            existing.put("fileSize", hit.getFileSize());
            existing.put("location", hit.getLocation());
            if (owner || caller.hasAny(Scope.ANALYST)) {
                existing.put("ownerUserId", hit.getOwnerUserId());
                existing.put("firstSeen", hit.getFirstSeen() == null ? null : hit.getFirstSeen().toString());
                existing.put("referenceCount", hit.getReferenceCount());
            }
            answer.put("existingFile", existing);
        }
        return new DedupAnswer(true, hit, state, answer);
    }
}
