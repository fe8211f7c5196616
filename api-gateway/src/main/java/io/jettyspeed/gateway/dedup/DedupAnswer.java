package io.jettyspeed.gateway.dedup;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The dedup part of an answer (check-duplicate and optimal-edges), from the {@link FileIndexView}. */
public final class DedupAnswer {

    private DedupAnswer() {
    }

    /** {@code isDuplicate}, {@code state} (indexed or unknown) and, on a hit, {@code existingFile}. */
    public static Map<String, Object> of(FileIndexView index, String fileHash) {
        Map<String, Object> answer = new LinkedHashMap<>();
        if (!index.available()) {
            answer.put("isDuplicate", false);
            answer.put("state", "unknown");
            answer.put("message", "The dedup index is not available yet; upload the file normally.");
            return answer;
        }
        Optional<StoredFile> file = index.find(fileHash);
        answer.put("isDuplicate", file.isPresent());
        answer.put("state", "indexed");
        file.ifPresent(f -> {
            Map<String, Object> existing = new LinkedHashMap<>();
            existing.put("fileHash", f.fileHash());
            existing.put("ownerUserId", f.ownerUserId());
            existing.put("fileSize", f.fileSize());
            existing.put("location", f.location());
            existing.put("firstSeen", f.firstSeen() == null ? null : f.firstSeen().toString());
            existing.put("referenceCount", f.referenceCount());
            answer.put("existingFile", existing);
        });
        return answer;
    }
}
