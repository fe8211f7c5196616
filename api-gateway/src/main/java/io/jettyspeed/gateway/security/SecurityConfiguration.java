package io.jettyspeed.gateway.security;

import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    ApiKeyRepository apiKeyRepository(DataSource dataSource) {
        return new ApiKeyRepository(dataSource);
    }
}
