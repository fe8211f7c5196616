package io.jettyspeed.processors.errors;

import java.util.Map;

/**
 * The part the three dead-lettering exception handlers share: Kafka Streams creates each itself and
 * configures it with the application's configuration, which carries the dead-letter collaborators
 * ({@link DeadLetterHandlerSupport}).
 */
abstract class DeadLetteringHandler {

    protected DeadLetterHandlerSupport support;

    public void configure(Map<String, ?> configs) {
        support = DeadLetterHandlerSupport.from(configs);
    }
}
