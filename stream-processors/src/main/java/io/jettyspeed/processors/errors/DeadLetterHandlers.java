package io.jettyspeed.processors.errors;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Installs the dead-lettering exception handlers into a Kafka Streams configuration: a record
 * that fails after decoding (a bug in a processor: {@code PROCESSING_ERROR}), that cannot be
 * produced ({@code PRODUCTION_ERROR}), or that an internal topic's deserializer refuses
 * ({@code UNDECODABLE}/{@code UNKNOWN_SCHEMA}) becomes a dead letter with its source coordinates
 * and processing goes on, instead of the stream thread dying and the same record failing again
 * after every thread replacement.
 */
public final class DeadLetterHandlers {

    private DeadLetterHandlers() {
    }

    public static void configure(Properties config, DeadLetterPublisher publisher, Map<String, String> routes,
            OutputGuard guard) {
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringProcessingHandler.class.getName());
        config.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringProductionHandler.class.getName());
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetteringDeserializationHandler.class.getName());
        config.put(DeadLetterHandlerSupport.PUBLISHER_CONFIG, publisher);
        config.put(DeadLetterHandlerSupport.ROUTES_CONFIG, Map.copyOf(routes));
        config.put(DeadLetterHandlerSupport.GUARD_CONFIG, guard);
    }
}
