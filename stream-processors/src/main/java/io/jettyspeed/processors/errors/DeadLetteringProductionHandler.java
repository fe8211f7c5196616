package io.jettyspeed.processors.errors;

import io.jettyspeed.schemas.DeadLetterReason;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Production errors.
 *
 * <ul>
 *   <li>A record that cannot be serialized — including one the {@link OutputGuard} finds too large —
 *       is dead-lettered ({@code PRODUCTION_ERROR}, with the coordinates of the input record that
 *       produced it) and processing goes on: nothing was sent, the transaction is healthy.</li>
 *   <li>A send the producer or broker refused as too large lowers the topic's limit in the
 *       {@link OutputGuard} and FAILs the task. Under exactly-once a failed send has already doomed
 *       the transaction (the producer is in an abortable state; CONTINUE would only fail the
 *       commit), so the input is processed again after the thread is replaced — and this time the
 *       guard refuses the output while serializing it: one dead letter, one replay.</li>
 *   <li>Retriable errors (timeouts, not enough replicas) are infrastructure: RETRY, which makes
 *       Kafka Streams re-process the task from its last commit.</li>
 *   <li>Anything else the broker refuses is not a property of one record we could recognise
 *       before sending: FAIL, logged, and the uncaught-exception handler replaces the thread.</li>
 *   <li>An output of a punctuator (no input record) that cannot be serialized is logged and
 *       dropped.</li>
 * </ul>
 */
public final class DeadLetteringProductionHandler extends DeadLetteringHandler implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetteringProductionHandler.class);

    @Override
    public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
            Exception exception) {
        if (exception instanceof RecordTooLargeException) {
            int size = (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
            support.guard().learn(record.topic(), record.value() == null ? size : record.value().length);
            LOG.warn("{} refused a record of {} bytes as too large; from now on the output guard refuses records of that "
                    + "size for it, and the replay of {}/{}/{} dead-letters it", record.topic(), size, context.topic(),
                    context.partition(), context.offset(), exception);
            return ProductionExceptionHandlerResponse.FAIL;
        }
        if (exception instanceof RetriableException) {
            return ProductionExceptionHandlerResponse.RETRY;
        }
        LOG.error("cannot produce to {} for {}/{}/{}; failing the task", record.topic(), context.topic(),
                context.partition(), context.offset(), exception);
        return ProductionExceptionHandlerResponse.FAIL;
    }

    @Override
    public ProductionExceptionHandlerResponse handleSerializationException(ErrorHandlerContext context,
            ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
        if (context.topic() == null) {
            // Output of a punctuator (a sweep): there is no input record to dead-letter, and failing
            // would only run the same sweep into the same error again.
            LOG.error("a punctuator of {} produced a record for {} that cannot be produced; it is dropped",
                    context.processorNodeId(), record.topic(), exception);
            return ProductionExceptionHandlerResponse.CONTINUE;
        }
        boolean toDeadLetterTopic = record.topic() != null && record.topic().endsWith("-dlt");
        // A dead letter that cannot be written must not carry the same raw bytes again into the next one.
        byte[] key = toDeadLetterTopic ? null : context.sourceRawKey();
        byte[] value = toDeadLetterTopic ? null : context.sourceRawValue();
        boolean written = support.deadLetter(context, DeadLetterReason.PRODUCTION_ERROR,
                "cannot produce the " + origin.name().toLowerCase(java.util.Locale.ROOT) + " of a record to "
                        + record.topic() + ": " + exception.getMessage(), exception, key, value);
        return written ? ProductionExceptionHandlerResponse.CONTINUE : ProductionExceptionHandlerResponse.FAIL;
    }
}
