package io.jettyspeed.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of each schema, kept in the repository under
 * {@code io/jettyspeed/schemas/released/<FullName>/v<N>.avsc}, so that a reader can resolve any
 * writer's schema by its fingerprint and so the build can refuse an incompatible change.
 */
public final class ReleasedSchemas {

    static final String ROOT = "/io/jettyspeed/schemas/released/";

    private ReleasedSchemas() {
    }

    /** Released versions of the named schema, oldest first (v1, v2, ...). Empty if never released. */
    public static List<Schema> of(String fullName) {
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; ; version++) {
            String resource = ROOT + fullName + "/v" + version + ".avsc";
            try (InputStream in = ReleasedSchemas.class.getResourceAsStream(resource)) {
                if (in == null) {
                    return List.copyOf(versions);
                }
                versions.add(new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read released schema " + resource, e);
            }
        }
    }
}
