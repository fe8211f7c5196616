package io.jettyspeed.processors.errors;

import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.DeadLetter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes the dead letters of Kafka Streams' exception handlers. Kafka Streams 4.1 has no built-in
 * dead-letter support for its handlers (KIP-1034's handler response with records to send comes
 * later), so the handlers produce the letter themselves, with this producer of their own:
 * idempotent, {@code acks=all}, and each send waits for the acknowledgement, so a handler answers
 * CONTINUE only once its dead letter is durable — and FAIL when it is not.
 *
 * <p>This producer is not part of the stream thread's transaction: under exactly-once the
 * dead letters are <em>at least once</em>. If the transaction of the failed record aborts after the
 * letter was written (a crash, a rebalance), the record is processed again and may be
 * dead-lettered a second time; readers of a dead-letter topic tell duplicates apart by their
 * source coordinates.
 *
 * <p>One publisher serves every topology of an instance; the producer is created on first use.
 */
public final class DeadLetterPublisher implements AutoCloseable {

    /** How long a handler waits for a dead letter's acknowledgement before it gives up and fails. */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(40);

    private final Supplier<Producer<byte[], byte[]>> factory;
    private Producer<byte[], byte[]> producer;
    private boolean closed;

    private DeadLetterPublisher(Supplier<Producer<byte[], byte[]>> factory) {
        this.factory = factory;
    }

    /** A publisher with a producer of its own to {@code bootstrapServers}. */
    public static DeadLetterPublisher kafka(String bootstrapServers, String clientId) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // Every send is waited for: batching would only add latency.
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        return new DeadLetterPublisher(() -> new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()));
    }

    /** A publisher on a given producer (tests: a {@code MockProducer}). */
    public static DeadLetterPublisher using(Producer<byte[], byte[]> producer) {
        return new DeadLetterPublisher(() -> producer);
    }

    /**
     * Writes {@code letter} to {@code topic} and waits for the acknowledgement.
     *
     * @throws DeadLetterNotWrittenException when the letter is not acknowledged in time
     */
    public void publish(String topic, byte[] key, DeadLetter letter) {
        try {
            producer().send(new ProducerRecord<>(topic, key, AvroSerde.of(DeadLetter.class).encode(letter)))
                    .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterNotWrittenException(topic, e);
        } catch (ExecutionException e) {
            throw new DeadLetterNotWrittenException(topic, e.getCause());
        } catch (RuntimeException | java.util.concurrent.TimeoutException e) {
            throw new DeadLetterNotWrittenException(topic, e);
        }
    }

    private synchronized Producer<byte[], byte[]> producer() {
        if (closed) {
            throw new IllegalStateException("dead-letter publisher is closed");
        }
        if (producer == null) {
            producer = factory.get();
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
        }
    }

    /** A dead letter could not be written; the handler must fail rather than drop the record. */
    public static final class DeadLetterNotWrittenException extends RuntimeException {
        DeadLetterNotWrittenException(String topic, Throwable cause) {
            super("cannot write a dead letter to " + topic + ": " + cause, cause);
        }
    }
}
