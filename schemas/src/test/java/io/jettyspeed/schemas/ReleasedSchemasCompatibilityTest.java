package io.jettyspeed.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The build gate: a schema change that cannot read released data fails {@code mvn verify}. */
class ReleasedSchemasCompatibilityTest {

    static List<Schema> currentSchemas() {
        return SchemaCatalog.current();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void shouldReadEveryReleasedVersionWithTheCurrentSchema(Schema current) {
        List<Schema> released = ReleasedSchemas.of(current.getFullName());

        assertThat(released).as("released versions of %s", current.getFullName()).isNotEmpty();
        assertThat(SchemaCompatibility.backwardProblems(current, released)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void shouldHaveReleasedTheCurrentSchemaSoEveryWriterIsResolvable(Schema current) {
        long fingerprint = SchemaNormalization.parsingFingerprint64(current);

        assertThat(ReleasedSchemas.of(current.getFullName()))
                .as("%s changed: release it with `mvn -q -pl schemas compile exec:java`", current.getFullName())
                .anyMatch(released -> SchemaNormalization.parsingFingerprint64(released) == fingerprint);
    }

    @Test
    void shouldRejectANewRequiredFieldWithoutDefault() {
        // given a new version that adds a required field with no default
        Schema released = ReleasedSchemas.of(UploadEvent.getClassSchema().getFullName()).get(0);
        Schema incompatible = withExtraField(released, "region", SchemaBuilder.builder().stringType(), null);

        // when
        List<String> problems = SchemaCompatibility.backwardProblems(incompatible, List.of(released));

        // then
        assertThat(problems).singleElement().asString()
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("region");
    }

    @Test
    void shouldRejectAChangedFieldType() {
        Schema released = ReleasedSchemas.of(ChunkEvent.getClassSchema().getFullName()).get(0);
        String json = released.toString().replace("{\"name\":\"chunkIndex\",\"type\":\"int\"",
                "{\"name\":\"chunkIndex\",\"type\":\"string\"");
        Schema incompatible = new Schema.Parser().parse(json);

        assertThat(SchemaCompatibility.backwardProblems(incompatible, List.of(released)))
                .anyMatch(problem -> problem.contains("TYPE_MISMATCH") && problem.contains("chunkIndex"));
    }

    @Test
    void shouldAcceptANewOptionalFieldWithDefault() {
        Schema released = ReleasedSchemas.of(EdgeMetricSample.getClassSchema().getFullName()).get(0);
        Schema optional = SchemaBuilder.unionOf().nullType().and().stringType().endUnion();
        Schema compatible = withExtraField(released, "probeId", optional, Schema.Field.NULL_DEFAULT_VALUE);

        assertThat(SchemaCompatibility.backwardProblems(compatible, List.of(released))).isEmpty();
    }

    static Schema withExtraField(Schema record, String name, Schema type, Object defaultValue) {
        List<Schema.Field> fields = new java.util.ArrayList<>();
        record.getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
        fields.add(new Schema.Field(name, type, "added in a test", defaultValue));
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }
}
