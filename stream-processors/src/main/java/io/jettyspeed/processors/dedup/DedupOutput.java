package io.jettyspeed.processors.dedup;

import io.jettyspeed.schemas.DedupClone;
import io.jettyspeed.schemas.StoredFile;

/** What the dedup index emits: the stored file of a hash as it is now (key fileHash), or a clone fact (key userId). */
sealed interface DedupOutput {

    record Indexed(StoredFile file) implements DedupOutput {
    }

    record Cloned(DedupClone fact) implements DedupOutput {
    }
}
