package io.jettyspeed.gateway.state;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * The JSON object a read answers with about one record of a view, in the order it is built: most
 * fields copied from the record under their own names, the others computed by the endpoint.
 */
public final class RecordAnswer {

    private final GenericRecord record;
    private final Map<String, Object> body = new LinkedHashMap<>();

    private RecordAnswer(GenericRecord record) {
        this.record = record;
    }

    public static RecordAnswer of(GenericRecord record) {
        return new RecordAnswer(record);
    }

    /** The record's own fields, under their own names (an unknown name fails: it is a typo). */
    public RecordAnswer copy(String... fields) {
        for (String field : fields) {
            body.put(field, record.get(field));
        }
        return this;
    }

    public RecordAnswer put(String name, Object value) {
        body.put(name, value);
        return this;
    }

    public Map<String, Object> body() {
        return body;
    }
}
