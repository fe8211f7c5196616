package io.jettyspeed.gateway.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * How HTTP requests are measured ({@code jetty.gateway.http-metrics}):
 * <ul>
 *   <li>{@code timer} (default): {@link HttpRequestTimerFilter}, a plain timer with the metric
 *       name and tags of the observation filter. The benchmark (row 1) showed the per-request
 *       {@code Observation} to be a large part of what the gateway spends on a request that does
 *       little else; see bench/NOTES-gateway.md.</li>
 *   <li>{@code observation}: Spring Boot's {@code ServerHttpObservationFilter}, for deployments
 *       that trace (an {@code ObservationHandler} for spans gets every request).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "jetty.gateway.http-metrics", havingValue = "timer", matchIfMissing = true)
public class HttpMetricsConfiguration {

    /** Where Spring Boot puts the observation filter: before every other filter. */
    private static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

    @Bean
    FilterRegistrationBean<HttpRequestTimerFilter> httpRequestTimerFilter(MeterRegistry registry) {
        FilterRegistrationBean<HttpRequestTimerFilter> registration =
                new FilterRegistrationBean<>(new HttpRequestTimerFilter(registry));
        registration.setOrder(ORDER);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
        return registration;
    }

    /**
     * Spring Boot registers its observation filter only when there is none: this disabled one
     * keeps it out (it would record the same metric a second time).
     */
    @Bean
    FilterRegistrationBean<ServerHttpObservationFilter> disabledObservationFilter() {
        FilterRegistrationBean<ServerHttpObservationFilter> registration =
                new FilterRegistrationBean<>(new ServerHttpObservationFilter(ObservationRegistry.NOOP));
        registration.setEnabled(false);
        return registration;
    }
}
