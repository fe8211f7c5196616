package io.jettyspeed.processors.errors;

import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.DeadLetterReason;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * For completeness: every catalogue topic is read as bytes and decoded in an explicit step
 * ({@link Sources}), so only internal repartition topics are deserialized by Kafka Streams. A
 * record there that cannot be read (for instance one written by a newer version during a rolling
 * upgrade) is dead-lettered to its origin's dead-letter topic ({@link DeadLetterRoutes}) instead of
 * stopping the thread.
 */
public final class DeadLetteringDeserializationHandler extends DeadLetteringHandler implements DeserializationExceptionHandler {

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        DeadLetterReason reason = exception instanceof AvroSerde.UnknownSchemaException
                || exception.getCause() instanceof AvroSerde.UnknownSchemaException
                ? DeadLetterReason.UNKNOWN_SCHEMA : DeadLetterReason.UNDECODABLE;
        boolean written = support.deadLetter(context, reason, "cannot read a record of " + record.topic() + ": "
                + exception.getMessage(), exception, record.key(), record.value());
        return written ? DeserializationHandlerResponse.CONTINUE : DeserializationHandlerResponse.FAIL;
    }
}
