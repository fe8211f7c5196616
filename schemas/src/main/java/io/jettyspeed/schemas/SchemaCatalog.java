package io.jettyspeed.schemas;

import java.util.List;
import org.apache.avro.Schema;

/** Every top-level record schema that crosses Kafka; the compatibility check and the release tool walk this list. */
public final class SchemaCatalog {

    private SchemaCatalog() {
    }

    public static List<Schema> current() {
        return List.of(
                UploadEvent.getClassSchema(),
                ChunkEvent.getClassSchema(),
                EdgeMetricSample.getClassSchema(),
                DedupCheck.getClassSchema(),
                DeadLetter.getClassSchema(),
                EdgeHealth.getClassSchema(),
                StoredFile.getClassSchema(),
                DedupClone.getClassSchema(),
                UploadSession.getClassSchema(),
                UserStats.getClassSchema());
    }
}
