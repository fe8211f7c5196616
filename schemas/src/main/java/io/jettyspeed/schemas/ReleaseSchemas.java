package io.jettyspeed.schemas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.SchemaNormalization;

/**
 * Releases the current version of each schema that changed: writes it as the next
 * {@code v<N>.avsc} under {@code schemas/src/main/resources/io/jettyspeed/schemas/released}.
 * Refuses when a change is not backward compatible with the released versions.
 *
 * <p>Run from the repository root: {@code mvn -q -pl schemas compile exec:java}.
 */
public final class ReleaseSchemas {

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "schemas/src/main/resources" + ReleasedSchemas.ROOT);
        for (var schema : SchemaCatalog.current()) {
            List<org.apache.avro.Schema> released = ReleasedSchemas.of(schema.getFullName());
            long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
            boolean known = released.stream().anyMatch(r -> SchemaNormalization.parsingFingerprint64(r) == fingerprint);
            if (known) {
                continue;
            }
            List<String> problems = SchemaCompatibility.backwardProblems(schema, released);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("not releasing incompatible schema:\n" + String.join("\n", problems));
            }
            Path file = root.resolve(schema.getFullName()).resolve("v" + (released.size() + 1) + ".avsc");
            Files.createDirectories(file.getParent());
            Files.writeString(file, schema.toString(true) + "\n");
            System.out.println("released " + file);
        }
    }
}
