package io.jettyspeed.gateway.validation;

import io.jettyspeed.gateway.problems.FieldError;
import io.jettyspeed.gateway.problems.ProblemException;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses request bodies strictly: one JSON object, no duplicate keys, nothing after it. Bodies are
 * parsed into a tree (not bound to classes) so that a wrong type in one field does not hide the
 * problems of the others.
 */
public final class StrictJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private StrictJson() {
    }

    public static JsonNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw body("is required and must be a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String reason = e.getOriginalMessage() == null ? "syntax error" : firstLine(e.getOriginalMessage());
            throw body("is not valid JSON" + where + ": " + reason);
        }
        if (node == null || node.isMissingNode()) {
            throw body("is required and must be a JSON object");
        }
        if (!node.isObject()) {
            throw body("must be a JSON object");
        }
        return node;
    }

    private static ProblemException body(String message) {
        return ProblemException.invalid(List.of(new FieldError("body", message)));
    }

    private static String firstLine(String message) {
        String line = message.lines().findFirst().orElse(message);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
