package io.jettyspeed.gateway.dedup;

import io.jettyspeed.gateway.state.AggregateViews;
import io.jettyspeed.schemas.StoredFile;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The dedup index the checks read: the gateway's local copy of {@code jetty.file-index.v1}. */
@Configuration(proxyBeanMethods = false)
class DedupConfiguration {

    @Bean
    FileIndexView fileIndexView(AggregateViews views) {
        return new FileIndexView() {
            @Override
            public boolean available() {
                return views.isCaughtUp();
            }

            @Override
            public boolean hasCompletedUpload(String userId, String fileHash) {
                return views.hasCompletedUpload(userId, fileHash);
            }

            @Override
            public Optional<StoredFile> find(String fileHash) {
                return views.storedFile(fileHash);
            }
        };
    }
}
