package io.jettyspeed.schemas;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/** Backward compatibility of a schema against released versions: can the new reader read old data? */
public final class SchemaCompatibility {

    private SchemaCompatibility() {
    }

    /** Problems that keep {@code candidate} from reading data written with any of {@code released}; empty if none. */
    public static List<String> backwardProblems(Schema candidate, List<Schema> released) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < released.size(); i++) {
            SchemaPairCompatibility result =
                    org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility(candidate, released.get(i));
            if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                int version = i + 1;
                result.getResult().getIncompatibilities().forEach(incompatibility -> problems.add(
                        candidate.getFullName() + " cannot read v" + version + ": " + incompatibility.getType()
                                + " at " + describe(candidate, incompatibility.getLocation()) + " (" + incompatibility.getMessage() + ")"));
            }
        }
        return problems;
    }

    /** Names the top-level field of a JSON-pointer location such as {@code /fields/5/type}. */
    private static String describe(Schema record, String location) {
        String[] parts = location.split("/");
        if (parts.length > 2 && parts[1].equals("fields") && record.getType() == Schema.Type.RECORD) {
            int index = Integer.parseInt(parts[2]);
            if (index < record.getFields().size()) {
                return "field '" + record.getFields().get(index).name() + "' (" + location + ")";
            }
        }
        return location;
    }
}
