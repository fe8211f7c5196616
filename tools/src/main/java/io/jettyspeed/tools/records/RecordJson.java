package io.jettyspeed.tools.records;

import io.jettyspeed.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One Kafka record as one JSON object:
 *
 * <pre>
 * {"topic", "partition", "offset", "timestamp" (ISO-8601), "key" (text, or null and "keyBase64" when not UTF-8),
 *  "headers" (when any), "type" (the value's Avro type), "value" (decoded), or "tombstone": true,
 *  or "error" and "valueBase64" when the value cannot be decoded}
 * </pre>
 *
 * A dead letter's value is {@code {"reason", "description", "exceptionClass", "processor", "source":
 * {"topic", "partition", "offset"}, "failedAt", "sqlState", "replayedFrom", "rawKey", "rawValue"
 * (base64), "original": {"type", "value"} or {"type", "error"}}}.
 */
public final class RecordJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final RecordDecoder decoder;

    public RecordJson(RecordDecoder decoder) {
        this.decoder = decoder;
    }

    public ObjectNode toJson(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode json = JSON.objectNode();
        json.put("topic", record.topic());
        json.put("partition", record.partition());
        json.put("offset", record.offset());
        json.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        putKey(json, "key", record.key());
        if (record.headers().toArray().length > 0) {
            ObjectNode headers = json.putObject("headers");
            for (Header header : record.headers()) {
                String text = text(header.value());
                headers.put(header.key(), text != null ? text : Base64.getEncoder().encodeToString(header.value()));
            }
        }
        RecordDecoder.Decoded decoded = decoder.decode(record.topic(), record.value());
        if (decoded.tombstone()) {
            json.putNull("value");
            json.put("tombstone", true);
        } else if (decoded.ok()) {
            json.put("type", decoded.type());
            json.set("value", decoded.record() instanceof DeadLetter letter ? deadLetter(letter) : AvroJson.toJson(decoded.record()));
        } else {
            if (decoded.type() != null) {
                json.put("type", decoded.type());
            }
            json.putNull("value");
            json.put("error", decoded.error());
            json.put("valueBase64", Base64.getEncoder().encodeToString(record.value()));
        }
        return json;
    }

    public ObjectNode deadLetter(DeadLetter letter) {
        ObjectNode json = JSON.objectNode();
        json.put("reason", letter.getReason().name());
        json.put("description", letter.getDescription());
        json.put("exceptionClass", letter.getExceptionClass());
        json.put("processor", letter.getProcessor());
        ObjectNode source = json.putObject("source");
        source.put("topic", letter.getSourceTopic());
        source.put("partition", letter.getSourcePartition());
        source.put("offset", letter.getSourceOffset());
        json.put("failedAt", letter.getFailedAt().toString());
        json.put("sqlState", letter.getSqlState());
        json.put("replayedFrom", letter.getReplayedFrom());
        json.put("rawKey", letter.getKey() == null ? null : AvroJson.base64(letter.getKey()));
        json.put("rawValue", letter.getValue() == null ? null : AvroJson.base64(letter.getValue()));
        ObjectNode original = json.putObject("original");
        RecordDecoder.Decoded decoded = decoder.decode(letter.getSourceTopic(), AvroJson.bytes(letter.getValue()));
        if (decoded.ok()) {
            original.put("type", decoded.type());
            original.set("value", AvroJson.toJson(decoded.record()));
        } else if (decoded.tombstone()) {
            original.putNull("value");
            original.put("tombstone", true);
        } else {
            original.put("type", decoded.type());
            original.put("error", decoded.error());
        }
        return json;
    }

    public static String write(JsonNode json) {
        return MAPPER.writeValueAsString(json);
    }

    /** Sets {@code name} to the key as text, or to null with {@code nameBase64} when it is not printable UTF-8. */
    public static void putKey(ObjectNode json, String name, byte[] key) {
        if (key == null) {
            json.putNull(name);
            return;
        }
        String text = text(key);
        if (text != null) {
            json.put(name, text);
        } else {
            json.putNull(name);
            json.put(name + "Base64", Base64.getEncoder().encodeToString(key));
        }
    }

    /** The bytes as text if they are valid UTF-8 without control characters, else null. */
    public static String text(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            String text = chars.toString();
            return text.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t') ? null : text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
