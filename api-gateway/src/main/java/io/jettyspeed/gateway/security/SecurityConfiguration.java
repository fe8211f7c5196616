package io.jettyspeed.gateway.security;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    ApiKeyRepository apiKeyRepository(DataSource dataSource) {
        return new ApiKeyRepository(dataSource);
    }

    /** Sizes of the in-memory security state: both bounded (key cache by key-cache-size, buckets by the keys in use). */
    @Bean
    MeterBinder securityStateMetrics(ApiKeyAuthenticator authenticator, RateLimiter rateLimiter) {
        return registry -> {
            Gauge.builder("jetty.gateway.keys.cached", authenticator, ApiKeyAuthenticator::cachedKeys)
                    .description("API key look-ups (hits and misses) remembered").register(registry);
            Gauge.builder("jetty.gateway.rate-limiter.buckets", rateLimiter, RateLimiter::buckets)
                    .description("Token buckets of keys used recently").register(registry);
        };
    }
}
