package io.jettyspeed.gateway.publishing;

import io.jettyspeed.gateway.GatewayProperties;
import io.jettyspeed.gateway.problems.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Publishes the gateway's events and returns only once the broker acknowledged every one of them
 * ({@code acks=all} on an idempotent producer): an answered request is a durable request. When the
 * broker does not acknowledge within {@code jetty.gateway.publish-timeout} the request fails with
 * 503 and {@code Retry-After}; the client retries with the same eventIds, so an event that did
 * reach Kafka counts once.
 */
@Component
public class EventPublisher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final Map<String, Object> config;
    private final Duration publishTimeout;
    private final Duration retryAfter;
    private final Counter published;
    private final Counter unacknowledged;
    private final MeterRegistry registry;
    private volatile Producer<String, byte[]> producer;
    private KafkaClientMetrics producerMetrics;

    public EventPublisher(KafkaProperties kafka, GatewayProperties properties, ObjectProvider<MeterRegistry> meters) {
        this.config = producerConfig(kafka.buildProducerProperties());
        this.publishTimeout = properties.publishTimeout();
        this.retryAfter = properties.retryAfter();
        this.registry = meters.getIfAvailable();
        // Resolved once: a registry look-up (id, tags, map) on every request is garbage on the hottest path.
        this.published = registry == null ? null : registry.counter("jetty.gateway.events.published");
        this.unacknowledged = registry == null ? null : registry.counter("jetty.gateway.events.unacknowledged");
    }

    /**
     * The producer settings: whatever {@code spring.kafka.producer.*} says, except that durability
     * is not negotiable, and with bounded waits so that an unreachable broker becomes a 503 within
     * seconds rather than a hung request.
     */
    static Map<String, Object> producerConfig(Map<String, Object> fromSpring) {
        Map<String, Object> config = new HashMap<>(fromSpring);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // Every request waits for its own acknowledgement, so linger is added to each request's
        // latency. Kafka 4 defaults to 5 ms; 1 ms still lets concurrent requests for the same
        // partition share a batch (the accumulator also batches whatever arrives while a request is
        // in flight) while costing a single request at most a millisecond.
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        // Bounded waits: metadata (broker unreachable at send time), one request, and the whole
        // delivery including retries. delivery.timeout.ms must be >= linger.ms + request.timeout.ms.
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "api-gateway");
        return config;
    }

    /** Publishes every event and waits for all acknowledgements; 503 when any is not acknowledged. */
    public void publish(List<? extends OutgoingEvent<?>> events) {
        if (events.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + publishTimeout.toNanos();
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        try {
            Producer<String, byte[]> kafka = producer();
            for (OutgoingEvent<?> event : events) {
                acks.add(kafka.send(event.toRecord()));
            }
            for (Future<RecordMetadata> ack : acks) {
                long remaining = Math.max(0, deadline - System.nanoTime());
                ack.get(remaining, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(events.size(), e);
        } catch (ExecutionException e) {
            throw failed(events.size(), e.getCause());
        } catch (TimeoutException | KafkaException e) {
            throw failed(events.size(), e);
        }
        count(published, events.size());
    }

    private ProblemException failed(int events, Throwable cause) {
        log.warn("Kafka did not acknowledge {} event(s) within {}: {}", events, publishTimeout, String.valueOf(cause));
        count(unacknowledged, events);
        return ProblemException.unavailable(
                "Kafka did not acknowledge the event(s) in time; nothing is guaranteed stored. Retry with the same eventIds.",
                retryAfter);
    }

    private static void count(Counter counter, int amount) {
        if (counter != null) {
            counter.increment(amount);
        }
    }

    /** Created on first use, and again after a failed creation (e.g. bootstrap host not resolvable yet). */
    private Producer<String, byte[]> producer() {
        Producer<String, byte[]> current = producer;
        if (current == null) {
            synchronized (this) {
                current = producer;
                if (current == null) {
                    current = new KafkaProducer<>(config);
                    // The producer's own metrics (kafka_producer_*: request latency, records per request, errors,
                    // buffer waits) say what a 503 or a slow acknowledgement came from.
                    if (registry != null) {
                        producerMetrics = new KafkaClientMetrics(current);
                        producerMetrics.bindTo(registry);
                    }
                    producer = current;
                }
            }
        }
        return current;
    }

    @Override
    public void destroy() {
        if (producerMetrics != null) {
            producerMetrics.close();
        }
        Producer<String, byte[]> current = producer;
        if (current != null) {
            current.close(Duration.ofSeconds(5));
        }
    }
}
