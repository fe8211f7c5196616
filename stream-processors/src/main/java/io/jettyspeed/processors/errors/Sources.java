package io.jettyspeed.processors.errors;

import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * Reads a topic as raw bytes and decodes it in an explicit, error-capturing step, so a poison
 * record becomes a dead letter on {@code <topic>-dlt} and the next record is processed.
 */
public final class Sources {

    private Sources() {
    }

    /**
     * @param owner whether this topology dead-letters the topic's bad records; readers that are not
     *              the owner count and drop them, so each bad record is dead-lettered exactly once
     */
    public static <T extends SpecificRecord> KStream<String, T> decoded(StreamsBuilder builder, Topic<String, T> topic,
            String name, Validator<T> validator, boolean owner, OutputGuard guard) {
        @SuppressWarnings("unchecked")
        AvroSerde<T> serde = (AvroSerde<T>) topic.valueSerde();
        KStream<String, Decoded<T>> decoded = builder
                .stream(topic.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name + "-source"))
                .process(() -> new DecodeProcessor<>(serde, validator, name + "-decode", owner), Named.as(name + "-decode"));
        if (owner) {
            DeadLetters.route(decoded.filterNot((key, value) -> value.isValid(), Named.as(name + "-invalid"))
                    .mapValues(Decoded::deadLetter, Named.as(name + "-invalid-letter")), name + "-invalid", guard);
        }
        return decoded.filter((key, value) -> value.isValid(), Named.as(name + "-valid"))
                .mapValues(Decoded::value, Named.as(name + "-value"));
    }
}
