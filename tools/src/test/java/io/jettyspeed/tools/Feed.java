package io.jettyspeed.tools;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes raw records, as the services would, and returns where each landed. */
public final class Feed implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;

    public Feed(String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    public RecordMetadata send(String topic, byte[] key, byte[] value) {
        return send(new ProducerRecord<>(topic, key, value));
    }

    public RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
        try {
            return producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot feed " + record.topic(), e);
        }
    }

    public List<RecordMetadata> sendAll(List<ProducerRecord<byte[], byte[]>> records) {
        return records.stream().map(this::send).toList();
    }

    @Override
    public void close() {
        producer.close();
    }
}
