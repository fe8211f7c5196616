package io.jettyspeed.gateway.dedup;

import io.jettyspeed.schemas.StoredFile;
import java.util.Optional;

/**
 * Read side of the dedup index (content hash → stored file), implemented over stream state by
 * the processors' issue. The gateway uses the one bean of this type, or
 * {@link UnavailableFileIndexView} while there is none.
 */
public interface FileIndexView {

    /**
     * Whether the index is available: when false, {@link #find} answers nothing and check-duplicate
     * says {@code state: unknown} rather than claiming the file is new.
     */
    boolean available();

    /** The stored file with this hash (64 lower-case hex), if the index knows it. */
    Optional<StoredFile> find(String fileHash);

    /**
     * Whether one of this user's own uploads of this content completed (and is still retained):
     * such content is the user's own for the {@code user} dedup scope even when another user's
     * upload became the stored copy.
     */
    default boolean hasCompletedUpload(String userId, String fileHash) {
        return false;
    }
}
