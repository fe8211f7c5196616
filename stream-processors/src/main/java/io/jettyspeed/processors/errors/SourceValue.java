package io.jettyspeed.processors.errors;

import org.apache.avro.specific.SpecificRecord;

/**
 * A typed stream value that wraps the Avro record it was read as; a dead letter of it carries that
 * record, encoded as its topic carries it.
 */
public interface SourceValue {

    /** The record as its topic carries it. */
    SpecificRecord value();
}
