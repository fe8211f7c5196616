package io.jettyspeed.processors.errors;

import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterReason;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Kafka Streams' three exception handlers share: where their configuration comes from and how
 * they write a dead letter. Kafka Streams creates the handlers itself and configures them with the
 * application's configuration, so the instance-wide collaborators travel in it as objects under
 * the keys below ({@code StreamsRunner} puts them there).
 */
final class DeadLetterHandlerSupport {

    /** A {@link DeadLetterPublisher}. */
    static final String PUBLISHER_CONFIG = "jetty.dead-letters.publisher";
    /** A {@code Map<String, String>} of source topic → dead-letter topic ({@link DeadLetterRoutes}). */
    static final String ROUTES_CONFIG = "jetty.dead-letters.routes";
    /** The {@link OutputGuard} of the topology's sinks. */
    static final String GUARD_CONFIG = "jetty.dead-letters.output-guard";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandlerSupport.class);

    private final DeadLetterPublisher publisher;
    private final Map<String, String> routes;
    private final OutputGuard guard;
    private final String applicationId;

    private DeadLetterHandlerSupport(DeadLetterPublisher publisher, Map<String, String> routes, OutputGuard guard,
            String applicationId) {
        this.publisher = publisher;
        this.routes = routes;
        this.guard = guard;
        this.applicationId = applicationId;
    }

    @SuppressWarnings("unchecked")
    static DeadLetterHandlerSupport from(Map<String, ?> configs) {
        Object publisher = configs.get(PUBLISHER_CONFIG);
        Object routes = configs.get(ROUTES_CONFIG);
        Object guard = configs.get(GUARD_CONFIG);
        if (!(publisher instanceof DeadLetterPublisher) || !(routes instanceof Map<?, ?>) || !(guard instanceof OutputGuard)) {
            throw new IllegalStateException("the dead-letter exception handlers need " + PUBLISHER_CONFIG + ", "
                    + ROUTES_CONFIG + " and " + GUARD_CONFIG + " in the Streams configuration (see DeadLetterHandlers.configure)");
        }
        return new DeadLetterHandlerSupport((DeadLetterPublisher) publisher, (Map<String, String>) routes,
                (OutputGuard) guard, String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG)));
    }

    OutputGuard guard() {
        return guard;
    }

    /**
     * Writes a dead letter for the record of {@code context} to its source's dead-letter topic and
     * waits for the acknowledgement; false (and logged) when it could not be written, so the
     * handler answers FAIL and the record is not lost.
     */
    boolean deadLetter(ErrorHandlerContext context, DeadLetterReason reason, String description, Throwable cause,
            byte[] key, byte[] value) {
        String target = context.topic() == null ? null : routes.get(context.topic());
        if (target == null) {
            LOG.error("no dead-letter topic for records of {} ({}); failing instead of dropping {}/{}/{}", context.topic(),
                    applicationId, context.topic(), context.partition(), context.offset(), cause);
            return false;
        }
        DeadLetter letter = DeadLetters.of(context.topic(), context.partition(), context.offset(),
                applicationId + "/" + context.processorNodeId(), reason, description, cause, key, value, context.headers(),
                Instant.now());
        try {
            publisher.publish(target, letter.getKey() == null ? null : bytes(letter.getKey()), letter);
        } catch (RuntimeException e) {
            LOG.error("{} of {}/{}/{} could not be dead-lettered to {}; failing", reason, context.topic(),
                    context.partition(), context.offset(), target, e);
            return false;
        }
        LOG.warn("{}: {}/{}/{} dead-lettered to {}: {}", reason, context.topic(), context.partition(), context.offset(),
                target, letter.getDescription(), cause);
        return true;
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        java.nio.ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
