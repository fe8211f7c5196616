package io.jettyspeed.gateway.dedup;

import io.jettyspeed.gateway.validation.EventMeta;
import io.jettyspeed.gateway.validation.FieldReader;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.DedupCheckSource;
import io.jettyspeed.schemas.EventLimits;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Reads check-duplicate and optimal-edges bodies (and dedup-check events of a batch) into {@link DedupCheck}. */
public final class DedupRequests {

    private DedupRequests() {
    }

    /**
     * The dedup check in a body; for optimal-edges {@code fileSize} and {@code userLocation} are
     * required. Null when the object had any problem.
     */
    public static DedupCheck dedupCheck(FieldReader r, DedupCheckSource source) {
        int errorsBefore = r.checks().errorCount();
        boolean edges = source == DedupCheckSource.OPTIMAL_EDGES;
        String eventId = EventMeta.eventId(r);
        Instant eventTime = EventMeta.eventTime(r);
        String fileHash = r.fileHash("fileHash", true);
        String userId = r.checks().actFor(r.id("userId", false), r.path("userId"), true);
        Long fileSize = r.integer("fileSize", 0, EventLimits.MAX_FILE_SIZE, edges);
        String fileName = r.string("fileName", EventLimits.MAX_FILE_NAME_LENGTH, false);
        Double lat = null;
        Double lng = null;
        FieldReader location = r.object("userLocation", edges);
        if (location != null) {
            lat = location.number("lat", -90, 90, true);
            lng = location.number("lng", -180, 180, true);
        }
        if (r.checks().errorCount() > errorsBefore) {
            return null;
        }
        return DedupCheck.newBuilder()
                .setEventId(eventId)
                .setEventTime(eventTime)
                .setReceivedAt(r.checks().now().truncatedTo(ChronoUnit.MILLIS))
                .setFileHash(fileHash)
                .setUserId(userId)
                .setFileSize(fileSize)
                .setFileName(fileName)
                .setUserLat(lat)
                .setUserLng(lng)
                .setSource(source)
                .build();
    }
}
