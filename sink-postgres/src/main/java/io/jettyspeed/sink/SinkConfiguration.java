package io.jettyspeed.sink;

import io.jettyspeed.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SinkProperties.class)
class SinkConfiguration {

    @Bean
    Topics topics(SinkProperties properties) {
        return Topics.of(properties.topicPrefix(), properties.partitions());
    }

    @Bean
    AggregateSink aggregateSink(SinkProperties properties, KafkaProperties kafka, Topics topics,
            List<TableWriter<?>> writers, JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
            MeterRegistry meters) {
        return new AggregateSink(properties, String.join(",", kafka.getBootstrapServers()), topics, writers, jdbc,
                new TransactionTemplate(transactionManager), meters);
    }
}
