package io.jettyspeed.gateway.dashboard;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The live edge stream behind {@code /dashboard} ({@code jetty.gateway.dashboard.*}; defaults in
 * {@code api-gateway.yml}).
 *
 * @param flushInterval   changes of the edge-health view are coalesced and pushed at most this often
 * @param totalsInterval  how often the upload and dedup totals are recomputed, when users' stats changed
 * @param historyInterval one history point per edge per interval (the newest point tracks the latest value)
 * @param historyLength   points of history per edge sent to a new subscriber (150 × 2 s = 5 minutes)
 * @param heartbeat       a comment line this often keeps idle connections and proxies alive
 * @param streamTimeout   a stream is closed after this long; the page reconnects and gets a fresh snapshot
 * @param maxSubscribers  open streams at most; more are refused with 503
 * @param maxSubscribersPerKey open streams of one API key at most; more are refused with 429, so one
 *                        key cannot take every slot
 */
@Validated
@ConfigurationProperties("jetty.gateway.dashboard")
public record DashboardProperties(
        @NotNull Duration flushInterval,
        @NotNull Duration totalsInterval,
        @NotNull Duration historyInterval,
        @Min(2) @Max(10_000) int historyLength,
        @NotNull Duration heartbeat,
        @NotNull Duration streamTimeout,
        @Min(1) int maxSubscribers,
        @Min(1) int maxSubscribersPerKey) {
}
