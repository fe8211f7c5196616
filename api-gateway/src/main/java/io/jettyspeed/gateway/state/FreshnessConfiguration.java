package io.jettyspeed.gateway.state;

import io.jettyspeed.gateway.GatewayProperties;
import io.jettyspeed.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires how fresh the local copies are: the watermark loop ({@link Freshness}) over Kafka's Admin
 * API and the reads that use it ({@link FreshReads}); settings {@code jetty.gateway.freshness.*}.
 */
@Configuration(proxyBeanMethods = false)
class FreshnessConfiguration {

    /** Most probes in flight per view: 64 ticks of 50 ms cover a 3 s trip through the processors. */
    static final int MAX_PROBES = 64;

    @Bean(initMethod = "start", destroyMethod = "close")
    Freshness freshness(Topics topics, KafkaProperties kafka, GatewayProperties properties, AggregateViews views) {
        GatewayProperties.Freshness settings = properties.freshness();
        Map<String, Object> config = new HashMap<>(kafka.buildAdminProperties());
        int timeoutMs = (int) settings.requestTimeout().toMillis();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "api-gateway-freshness");
        OffsetsSource offsets = new KafkaOffsetsSource(Admin.create(config), settings.requestTimeout());
        WatermarkTracker tracker = new WatermarkTracker(
                FreshnessChain.of(topics, settings.processorsApplicationId()), MAX_PROBES);
        Freshness freshness = new Freshness(offsets, tracker, kind -> views.view(kind).positions(), Clock.systemUTC(),
                settings.pollInterval(), settings.requestTimeout(), settings.maxWaiting());
        // a waiting read looks again whenever a view moved (a dedup hit may have arrived)
        views.all().forEach(view -> view.addPollListener(freshness::changed));
        return freshness;
    }

    @Bean
    FreshReads freshReads(Freshness freshness, GatewayProperties properties, MeterRegistry registry) {
        return new FreshReads(freshness, properties.freshness().defaultWait(), properties.freshness().maxWait(),
                registry);
    }
}
