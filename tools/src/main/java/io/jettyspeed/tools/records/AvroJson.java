package io.jettyspeed.tools.records;

import java.nio.ByteBuffer;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An Avro datum as plain JSON: records as objects in field order, unions as their value (no
 * {@code {"string": ...}} wrappers), enums as their symbol, timestamps as ISO-8601, bytes as base64.
 */
public final class AvroJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private AvroJson() {
    }

    public static JsonNode toJson(Object datum) {
        if (datum == null) {
            return JSON.nullNode();
        }
        if (datum instanceof IndexedRecord record) {
            ObjectNode object = JSON.objectNode();
            for (Schema.Field field : record.getSchema().getFields()) {
                object.set(field.name(), toJson(record.get(field.pos())));
            }
            return object;
        }
        if (datum instanceof CharSequence text) {
            return JSON.textNode(text.toString());
        }
        if (datum instanceof Integer number) {
            return JSON.numberNode(number);
        }
        if (datum instanceof Long number) {
            return JSON.numberNode(number);
        }
        if (datum instanceof Float number) {
            return JSON.numberNode(number);
        }
        if (datum instanceof Double number) {
            return JSON.numberNode(number);
        }
        if (datum instanceof java.math.BigDecimal number) {
            return JSON.numberNode(number);
        }
        if (datum instanceof Boolean bool) {
            return JSON.booleanNode(bool);
        }
        if (datum instanceof ByteBuffer bytes) {
            return JSON.textNode(base64(bytes));
        }
        if (datum instanceof byte[] bytes) {
            return JSON.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (datum instanceof GenericFixed fixed) {
            return JSON.textNode(Base64.getEncoder().encodeToString(fixed.bytes()));
        }
        if (datum instanceof Collection<?> items) {
            ArrayNode array = JSON.arrayNode();
            items.forEach(item -> array.add(toJson(item)));
            return array;
        }
        if (datum instanceof Map<?, ?> map) {
            ObjectNode object = JSON.objectNode();
            map.forEach((key, value) -> object.set(String.valueOf(key), toJson(value)));
            return object;
        }
        if (datum instanceof TemporalAccessor || datum instanceof Enum<?>) {
            return JSON.textNode(datum.toString());
        }
        // Generic enum symbols and anything else Avro hands out print as their text.
        return JSON.textNode(datum.toString());
    }

    public static String base64(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    public static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
