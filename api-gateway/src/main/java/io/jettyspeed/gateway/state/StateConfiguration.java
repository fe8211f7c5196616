package io.jettyspeed.gateway.state;

import io.jettyspeed.schemas.Topics;
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
 * Wires the read side: local copies of the processors' aggregate topics, their readiness and metrics
 * (how fresh they are: {@link FreshnessConfiguration}). The features that answer from them (dedup, edges,
 * sessions, users) depend on this package, never the other way round.
 */
@Configuration(proxyBeanMethods = false)
class StateConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    AggregateViews aggregateViews(Topics topics, KafkaProperties kafka) {
        return new AggregateViews(topics, String.join(",", kafka.getBootstrapServers()));
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
}
