package io.jettyspeed.gateway.publishing;

import io.jettyspeed.gateway.GatewayProperties;
import io.jettyspeed.schemas.Topics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class PublishingConfiguration {

    /** The topic catalogue, with the configured prefix (tests use a prefix of their own). */
    @Bean
    public Topics topics(GatewayProperties properties) {
        return Topics.of(properties.topicPrefix(), properties.partitions());
    }
}
