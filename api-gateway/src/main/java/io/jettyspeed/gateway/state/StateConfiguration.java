package io.jettyspeed.gateway.state;

import io.jettyspeed.gateway.dedup.FileIndexView;
import io.jettyspeed.gateway.dedup.StoredFile;
import io.jettyspeed.gateway.edges.EdgeChooser;
import io.jettyspeed.gateway.edges.EdgeRecommendation;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.schemas.edges.EdgeChoice;
import io.jettyspeed.schemas.edges.EdgeLocation;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the read side: local copies of the processors' aggregate topics, and the dedup and
 * edge-choice answers computed from them (how fresh they are: {@link FreshnessConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
class StateConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    AggregateViews aggregateViews(Topics topics, KafkaProperties kafka) {
        return new AggregateViews(topics, String.join(",", kafka.getBootstrapServers()));
    }

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
                return views.storedFile(fileHash).map(file -> new StoredFile(file.getFileHash(),
                        file.getOwnerUserId(), file.getFileSize(), file.getLocation(), file.getFirstSeen(),
                        file.getReferenceCount()));
            }
        };
    }

    @Bean
    EdgeChooser edgeChooser(AggregateViews views) {
        return (lat, lng, fileSize) -> {
            if (!views.isCaughtUp()) {
                return fallbackOnly("edge health is still loading");
            }
            EdgeChoice.Result result = EdgeChoice.choose(views.edgeHealth().values(),
                    new EdgeChoice.Request(lat, lng, fileSize));
            var edges = result.edges().stream().map(edge -> {
                EdgeLocation location = EdgeCatalog.find(edge.edgeId()).orElse(EdgeCatalog.DIRECT_STORAGE);
                boolean direct = EdgeCatalog.DIRECT_STORAGE_ID.equals(edge.edgeId());
                return new EdgeRecommendation.WeightedEdge(edge.edgeId(), edge.weight(), location.city(),
                        location.region(), location.uploadUrl(), direct ? null : edge.healthScore(),
                        edge.unprobed(), direct ? null : edge.distanceKm());
            }).toList();
            return new EdgeRecommendation(edges, result.degraded(),
                    result.degraded() ? "no healthy edge: upload directly to storage" : null);
        };
    }

    /**
     * Health {@code views}, part of readiness: UP once every local copy has read what its topic held
     * when the gateway started (until then reads would answer from half a copy), OUT_OF_SERVICE
     * before. How fresh each copy is ({@code asOf}, {@code freshnessAgeSeconds}, what it waits for)
     * is in the details but does not change the status: a stall of the processors is not the
     * gateway's to fix, and answers say {@code pending} meanwhile.
     */
    @Bean("views")
    HealthIndicator viewsHealth(AggregateViews views, Freshness freshness) {
        return () -> {
            Health.Builder health = views.isCaughtUp() ? Health.up() : Health.outOfService();
            Instant now = freshness.now();
            for (ViewKind kind : ViewKind.values()) {
                CompactedTopicView<?> view = views.view(kind);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("entries", view.size());
                details.put("caughtUp", view.isCaughtUp());
                details.put("undecodable", view.undecodableRecords());
                Optional<Instant> asOf = freshness.asOf(kind);
                details.put("asOf", asOf.map(Instant::toString).orElse(null));
                details.put("freshnessAgeSeconds", asOf.map(w -> Duration.between(w, now).toMillis() / 1000.0).orElse(null));
                freshness.waitingFor(kind).ifPresent(wait -> details.put("waitingFor", wait));
                health.withDetail(view.topicName(), details);
            }
            freshness.lastFailure().ifPresent(failure -> health.withDetail("freshnessError", failure));
            return health.build();
        };
    }

    /**
     * How fresh the local copies are, {@code jetty.gateway.view.freshness.age{topic}} (seconds), and
     * their sizes: {@code jetty.gateway.view.entries{topic}} per compacted topic,
     * {@code jetty.gateway.view.undecodable{topic}}, and {@code jetty.gateway.view.index.entries}
     * for the {@code (userId, fileHash)} resume index. They shrink when the processors tombstone
     * finished state.
     */
    @Bean
    MeterBinder aggregateViewMetrics(AggregateViews views, Freshness freshness) {
        return registry -> {
            for (ViewKind kind : ViewKind.values()) {
                Gauge.builder("jetty.gateway.view.freshness.age", freshness, f -> f.asOf(kind)
                                .map(w -> Duration.between(w, f.now()).toNanos() / 1e9).orElse(Double.NaN))
                        .description("How far the local copy's freshness watermark trails now: every event acknowledged "
                                + "longer ago than this is reflected (NaN until first measured)")
                        .baseUnit("seconds").tag("topic", views.view(kind).topicName()).register(registry);
            }
            for (CompactedTopicView<?> view : views.all()) {
                Gauge.builder("jetty.gateway.view.entries", view, CompactedTopicView::size)
                        .description("Entries in the gateway's local copy of a compacted aggregate topic")
                        .tag("topic", view.topicName()).register(registry);
                Gauge.builder("jetty.gateway.view.undecodable", view, CompactedTopicView::undecodableRecords)
                        .description("Records of the topic the local copy skipped because they could not be decoded")
                        .tag("topic", view.topicName()).register(registry);
            }
            Gauge.builder("jetty.gateway.view.index.entries", views, AggregateViews::sessionIndexSize)
                    .description("(userId, fileHash) pairs in the resume index over the upload sessions copy")
                    .tag("index", "sessions-by-user-and-file").register(registry);
        };
    }

    private static EdgeRecommendation fallbackOnly(String reason) {
        EdgeLocation direct = EdgeCatalog.DIRECT_STORAGE;
        return new EdgeRecommendation(java.util.List.of(new EdgeRecommendation.WeightedEdge(direct.edgeId(), 1.0,
                direct.city(), direct.region(), direct.uploadUrl(), null, false, null)), true, reason);
    }
}
