package io.jettyspeed.gateway.dedup;

import io.jettyspeed.gateway.GatewayProperties;
import io.jettyspeed.gateway.security.Caller;
import io.jettyspeed.schemas.DedupCheck;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Answers dedup checks in the configured scope ({@code jetty.gateway.dedup-scope}). Only a hit is
 * worth publishing: the processors turn exactly a {@code check-duplicate} hit into an instant clone,
 * so a miss (or an {@code optimal-edges} question) is a pure read that waits on no write.
 */
@Component
public class DedupChecks {

    private final ObjectProvider<FileIndexView> fileIndex;
    private final GatewayProperties.DedupScope scope;

    public DedupChecks(ObjectProvider<FileIndexView> fileIndex, GatewayProperties properties) {
        this.fileIndex = fileIndex;
        this.scope = properties.dedupScope();
    }

    public DedupAnswer answer(Caller caller, DedupCheck check) {
        return DedupAnswer.of(fileIndex.getIfUnique(UnavailableFileIndexView::new), scope, caller, check.getUserId(),
                check.getFileHash());
    }
}
