package io.jettyspeed.processors.errors;

import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exception thrown by a processor (a bug, or input no check foresaw) dead-letters the record
 * ({@code PROCESSING_ERROR}) and processing goes on with the next one. Whatever the processor
 * wrote to its stores before it threw stays (there is no per-record rollback); our processors
 * write their store and forward last, so a throwing check leaves nothing behind.
 *
 * <p>A punctuator that throws has no record to dead-letter: it is logged and runs again at its
 * next interval, processing goes on.
 */
public final class DeadLetteringProcessingHandler extends DeadLetteringHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetteringProcessingHandler.class);

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (context.topic() == null) {
            LOG.error("punctuation of {} in task {} failed; it runs again at its next interval", context.processorNodeId(),
                    context.taskId(), exception);
            return ProcessingHandlerResponse.CONTINUE;
        }
        byte[] key = context.sourceRawKey() != null ? context.sourceRawKey() : encode(record == null ? null : record.key());
        byte[] value = context.sourceRawValue() != null ? context.sourceRawValue() : encode(record == null ? null : record.value());
        boolean written = support.deadLetter(context, DeadLetterReason.PROCESSING_ERROR,
                "processor " + context.processorNodeId() + " failed: " + exception, exception, key, value);
        return written ? ProcessingHandlerResponse.CONTINUE : ProcessingHandlerResponse.FAIL;
    }

    /** The record as the processor saw it, when Kafka Streams has already released the raw bytes. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] encode(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (value instanceof SourceValue typed) {
            value = typed.value();
        }
        if (value instanceof SpecificRecord avro) {
            try {
                return ((AvroSerde) AvroSerde.of(avro.getClass())).encode(avro);
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
