package io.jettyspeed.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jettyspeed.gateway.problems.FieldError;
import io.jettyspeed.gateway.problems.ProblemException;
import io.jettyspeed.gateway.security.Caller;
import io.jettyspeed.gateway.security.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class StrictJsonTest {

    @Test
    void shouldAcceptPairedSurrogatesAndNonAsciiText() {
        // when
        JsonNode node = StrictJson.parseObject("{\"fileName\":\"\\ud83d\\ude00 Zürich 東京.mp4\",\"raw\":\"😀\"}"
                .getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(node.get("fileName").stringValue()).isEqualTo("😀 Zürich 東京.mp4");
        assertThat(node.get("raw").stringValue()).isEqualTo("😀");
    }

    @Test
    void shouldLetOnlyTheErrorFieldSpanLines() {
        // when
        JsonNode accepted = StrictJson.parseObject("{\"error\":\"a\\r\\n\\tb\"}".getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(accepted.get("error").stringValue()).isEqualTo("a\r\n\tb");
        assertThat(fieldsOf("{\"fileName\":\"a\\nb\"}")).containsExactly("fileName");
        assertThat(fieldsOf("{\"error\":\"a\\u0000b\"}")).containsExactly("error");
    }

    @Test
    void shouldNameEveryBadStringByItsPathAtAnyDepth() {
        // when / then
        assertThat(fieldsOf("{\"a\":{\"b\":[\"ok\",{\"c\":\"\\u0007\"}]},\"d\":\"\\udbff\"}"))
                .containsExactlyInAnyOrder("a.b[1].c", "d");
    }

    @Test
    void shouldFindAForbiddenCharacterHoweverTheBodyWritesIt() {
        // raw DEL (JSON allows it unescaped) in a value and in a key; escapes of every kind; raw control characters
        assertThat(fieldsOf("{\"fileName\":\"a\u007Fb\"}")).containsExactly("fileName");
        assertThat(fieldsOf("{\"a\u007Fb\":\"x\"}")).containsExactly("a\\u007fb");
        assertThat(fieldsOf("{\"fileName\":\"a\\u007fb\"}")).containsExactly("fileName");
        assertThat(fieldsOf("{\"fileName\":\"a\\tb\"}")).containsExactly("fileName");
        assertThat(fieldsOf("{\"a\\u0000\":1}")).containsExactly("a\\u0000");
        assertThat(fieldsOf("{\"fileName\":\"a\tb\"}")).containsExactly("fileName");
        assertThat(fieldsOf("{\"a\nb\":1}")).hasSize(1);
        // and a body with neither escapes nor DEL, spread over lines, is clean
        assertThat(StrictJson.parseObject("{\n\t\"fileName\": \"a b\"\r\n}".getBytes(StandardCharsets.UTF_8))
                .get("fileName").stringValue()).isEqualTo("a b");
    }

    @Test
    void shouldRefuseEveryFormOfInvalidUtf8NamingTheBody() {
        // given
        byte[][] bad = {{'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'},
                {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'},
                {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x82}};

        // when / then
        for (byte[] body : bad) {
            assertThatThrownBy(() -> StrictJson.parseObject(body)).isInstanceOfSatisfying(ProblemException.class,
                    e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("body"));
        }
    }

    @Test
    void shouldCompareHugeExponentsWithoutExpandingThem() {
        // given: 1e999999999 as a BigInteger would have a billion digits
        FieldReader reader = reader("{\"fileSize\":1e999999999,\"lat\":-1e999999999,\"n\":1e-999999999}");

        // when
        Long fileSize = reader.integer("fileSize", 0, Long.MAX_VALUE, true);
        Double lat = reader.number("lat", -90, 90, true);
        Double n = reader.number("n", -1, 1, true);

        // then
        assertThat(fileSize).isNull();
        assertThat(lat).isNull();
        assertThat(n).isNull();
        assertThat(reader.checks().errorCount()).isEqualTo(3);
    }

    @Test
    void shouldKeepNumbersThatFitTheirType() {
        // given
        FieldReader reader = reader("{\"a\":1e3,\"b\":4.9e-324,\"c\":-0,\"d\":9223372036854775807,\"e\":2.0}");

        // when / then
        assertThat(reader.integer("a", 0, 1000, true)).isEqualTo(1000L);
        assertThat(reader.number("b", 0, 1, true)).isEqualTo(Double.MIN_VALUE);
        assertThat(reader.number("c", -1, 1, true)).isZero();
        assertThat(reader.integer("d", 0, Long.MAX_VALUE, true)).isEqualTo(Long.MAX_VALUE);
        assertThat(reader.integer("e", 0, 5, true)).isEqualTo(2L);
        assertThat(reader.checks().hasErrors()).isFalse();
    }

    private static java.util.List<String> fieldsOf(String json) {
        try {
            StrictJson.parseObject(json.getBytes(StandardCharsets.UTF_8));
        } catch (ProblemException e) {
            return e.errors().stream().map(FieldError::field).toList();
        }
        return java.util.List.of();
    }

    private static FieldReader reader(String json) {
        Checks checks = new Checks(new Caller("k", Set.of(Scope.ADMIN), null), Instant.now(), Duration.ofMinutes(5));
        return FieldReader.root(StrictJson.parseObject(json.getBytes(StandardCharsets.UTF_8)), checks);
    }
}
