package io.jettyspeed.gateway.publishing;

import io.jettyspeed.schemas.Topic;
import org.apache.kafka.clients.producer.ProducerRecord;

/** One event about to be published: its topic (with serdes), key and Avro value. */
public record OutgoingEvent<V>(Topic<String, V> topic, String key, V value) {

    ProducerRecord<String, byte[]> toRecord() {
        return new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value));
    }
}
