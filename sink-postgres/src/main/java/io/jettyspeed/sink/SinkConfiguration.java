package io.jettyspeed.sink;

import io.jettyspeed.schemas.Topics;
import io.jettyspeed.sink.deadletters.DeadLetterOutbox;
import io.jettyspeed.sink.deadletters.DeadLetterRelay;
import io.jettyspeed.sink.health.SinkMonitor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.support.ProducerListener;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Wires the sink from spring-kafka parts: a {@link ConcurrentMessageListenerContainer} runs the
 * poll loop, rebalances and Kafka commits, with {@link AggregateSink} as its batch listener
 * ({@code ConsumerSeekAware} for the offsets stored in PostgreSQL) and a {@link DefaultErrorHandler}
 * that retries a batch through a database outage with an exponential back-off that never gives up;
 * a {@link KafkaTemplate} publishes the dead letters ({@link DeadLetterRelay}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SinkProperties.class)
class SinkConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SinkConfiguration.class);

    @Bean
    Topics topics(SinkProperties properties) {
        return Topics.of(properties.topicPrefix(), properties.partitions());
    }

    @Bean
    TransactionTemplate sinkTransactions(PlatformTransactionManager transactionManager) {
        return new TransactionTemplate(transactionManager);
    }

    @Bean
    DeadLetterOutbox deadLetterOutbox(JdbcTemplate jdbc) {
        return new DeadLetterOutbox(jdbc);
    }

    /** Producer of the dead letters: idempotent, acks=all, and quick to give up on a missing topic (the relay retries). */
    @Bean(destroyMethod = "destroy")
    DefaultKafkaProducerFactory<byte[], byte[]> deadLetterProducerFactory(KafkaProperties kafka, MeterRegistry meters) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        DefaultKafkaProducerFactory<byte[], byte[]> factory =
                new DefaultKafkaProducerFactory<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        factory.addListener(new MicrometerProducerListener<>(meters));
        return factory;
    }

    @Bean
    KafkaTemplate<byte[], byte[]> deadLetterTemplate(DefaultKafkaProducerFactory<byte[], byte[]> producerFactory) {
        KafkaTemplate<byte[], byte[]> template = new KafkaTemplate<>(producerFactory);
        // The relay logs one line per unavailable topic; the default listener would log every letter.
        template.setProducerListener(new ProducerListener<>() {
        });
        return template;
    }

    @Bean
    DeadLetterRelay deadLetterRelay(DeadLetterOutbox outbox, TransactionTemplate sinkTransactions,
            KafkaTemplate<byte[], byte[]> deadLetterTemplate, SinkProperties properties, MeterRegistry meters) {
        return new DeadLetterRelay(outbox, sinkTransactions, deadLetterTemplate, properties.deadLetters(), meters);
    }

    @Bean
    AggregateSink aggregateSink(SinkProperties properties, Topics topics, List<TableWriter<?>> writers,
            JdbcTemplate jdbc, TransactionTemplate sinkTransactions, DeadLetterOutbox outbox, DeadLetterRelay relay,
            ObjectProvider<BatchHook> hook, MeterRegistry meters) {
        return new AggregateSink(properties, topics, writers, jdbc, sinkTransactions, outbox, relay,
                hook.getIfAvailable(), meters);
    }

    /**
     * Retries a batch that failed for want of a usable database, with back-off and without end:
     * the records stay in memory, the consumer is paused and polled so it keeps its partitions, and
     * no exception is classified as "give up" (a skipped batch would be a hole, since the offsets
     * live in PostgreSQL). A recoverer that refuses makes sure nothing is ever skipped.
     */
    @Bean
    DefaultErrorHandler sinkErrorHandler(SinkProperties properties, MeterRegistry meters) {
        ExponentialBackOff backOff = new ExponentialBackOff(properties.retryBackoff().toMillis(), 2.0);
        backOff.setMaxInterval(properties.retryBackoffMax().toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        backOff.setMaxAttempts(Long.MAX_VALUE);
        DefaultErrorHandler handler = new DefaultErrorHandler((record, e) -> {
            throw new IllegalStateException("the sink never skips a record it could not write", e);
        }, backOff);
        handler.setClassifications(Map.of(), true);
        handler.setAckAfterHandle(false);
        Counter failures = Counter.builder("jetty.sink.batch.failures")
                .description("Batch attempts that failed because PostgreSQL could not be used (retried)")
                .register(meters);
        handler.setRetryListeners(new RetryListener() {
            @Override
            public void failedDelivery(org.apache.kafka.clients.consumer.ConsumerRecord<?, ?> record, Exception ex,
                    int attempt) {
                failures.increment();
            }

            @Override
            public void failedDelivery(ConsumerRecords<?, ?> records, Exception ex, int attempt) {
                failures.increment();
                if (attempt == 1 || attempt % 10 == 0) {
                    Throwable cause = ex.getCause() == null ? ex : ex.getCause();
                    log.warn("batch of {} record(s) not written (attempt {}), retrying with back-off: {}",
                            records.count(), attempt, io.jettyspeed.sink.poison.Failures.classify(cause).description());
                }
            }
        });
        return handler;
    }

    /**
     * The consumers: read_committed (the processors write transactionally), no auto-commit, bounded
     * batches; everything else from {@code spring.kafka.consumer.*}.
     */
    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> sinkContainer(KafkaProperties kafka, SinkProperties properties,
            AggregateSink sink, DefaultErrorHandler sinkErrorHandler, MeterRegistry meters) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.groupId());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.maxPollRecords());
        // Static membership; spring-kafka appends -0, -1, ... per consumer when concurrency is above 1.
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, properties.instanceId());
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) properties.sessionTimeout().toMillis());
        DefaultKafkaConsumerFactory<byte[], byte[]> consumers = properties.leaveGroupOnClose()
                ? new GroupLeavingConsumerFactory(config)
                : new DefaultKafkaConsumerFactory<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumers.addListener(new MicrometerConsumerListener<>(meters));

        ContainerProperties container = new ContainerProperties(sink.topicNames().toArray(String[]::new));
        container.setGroupId(properties.groupId());
        container.setClientId("sink-postgres");
        container.setMessageListener(sink);
        // Acknowledged by the listener after its PostgreSQL commit; Kafka's offsets are for lag tools only.
        container.setAckMode(ContainerProperties.AckMode.MANUAL);
        container.setSyncCommits(false);
        container.setPollTimeout(properties.pollTimeout().toMillis());
        container.setIdleEventInterval(Math.max(1_000L, properties.checkInterval().toMillis()));
        ConcurrentMessageListenerContainer<byte[], byte[]> listeners =
                new ConcurrentMessageListenerContainer<>(consumers, container);
        listeners.setConcurrency(properties.concurrency());
        listeners.setCommonErrorHandler(sinkErrorHandler);
        listeners.setBeanName("sink-postgres");
        return listeners;
    }

    @Bean
    SinkMonitor sinkHealthIndicator(SinkProperties properties, AggregateSink sink,
            ConcurrentMessageListenerContainer<byte[], byte[]> sinkContainer, DeadLetterRelay relay,
            DataSource dataSource, KafkaProperties kafka, MeterRegistry meters) {
        JdbcTemplate probe = new JdbcTemplate(dataSource);
        probe.setQueryTimeout(3);
        return new SinkMonitor(properties, sink, sinkContainer, relay, probe, kafka.buildAdminProperties(), meters);
    }
}
