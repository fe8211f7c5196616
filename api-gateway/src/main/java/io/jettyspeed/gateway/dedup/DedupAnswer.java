package io.jettyspeed.gateway.dedup;

import io.jettyspeed.gateway.GatewayProperties.DedupScope;
import io.jettyspeed.gateway.security.Caller;
import io.jettyspeed.gateway.security.Scope;
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
 * @param available whether the index could be asked (false: {@code state: unknown})
 * @param hit the stored file when the answer is a hit, else null
 * @param body the answer as sent: {@code isDuplicate}, {@code state}, {@code scope}, on a hit {@code existingFile}
 */
public record DedupAnswer(boolean available, StoredFile hit, Map<String, Object> body) {

    public boolean isDuplicate() {
        return hit != null;
    }

    public static DedupAnswer of(FileIndexView index, DedupScope scope, Caller caller, String userId, String fileHash) {
        Map<String, Object> answer = new LinkedHashMap<>();
        if (!index.available()) {
            answer.put("isDuplicate", false);
            answer.put("state", "unknown");
            answer.put("message", "The dedup index is not available yet; upload the file normally.");
            return new DedupAnswer(false, null, answer);
        }
        Optional<StoredFile> file = index.find(fileHash);
        boolean owner = file.isPresent() && userId != null && userId.equals(file.get().ownerUserId());
        boolean inScope = scope == DedupScope.GLOBAL || owner
                || (file.isPresent() && userId != null && index.hasCompletedUpload(userId, fileHash));
        StoredFile hit = file.isPresent() && inScope ? file.get() : null;
        answer.put("isDuplicate", hit != null);
        answer.put("state", "indexed");
        answer.put("scope", scope.name().toLowerCase(java.util.Locale.ROOT));
        if (hit != null) {
            Map<String, Object> existing = new LinkedHashMap<>();
            existing.put("fileHash", hit.fileHash());
            existing.put("fileSize", hit.fileSize());
            existing.put("location", hit.location());
            if (owner || caller.hasAny(Scope.ANALYST)) {
                existing.put("ownerUserId", hit.ownerUserId());
                existing.put("firstSeen", hit.firstSeen() == null ? null : hit.firstSeen().toString());
                existing.put("referenceCount", hit.referenceCount());
            }
            answer.put("existingFile", existing);
        }
        return new DedupAnswer(true, hit, answer);
    }
}
