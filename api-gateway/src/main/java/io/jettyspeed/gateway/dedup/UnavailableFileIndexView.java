package io.jettyspeed.gateway.dedup;

import io.jettyspeed.schemas.StoredFile;
import java.util.Optional;

/** Stand-in until the dedup index exists: says honestly that it knows nothing. */
public final class UnavailableFileIndexView implements FileIndexView {

    @Override
    public boolean available() {
        return false;
    }

    @Override
    public Optional<StoredFile> find(String fileHash) {
        return Optional.empty();
    }
}
