package io.jettyspeed.gateway.dashboard;

import io.jettyspeed.schemas.UserStats;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sums of every user's stats: uploads, bytes, dedup savings. Pure, so it is tested on its own. */
final class DashboardTotals {

    private DashboardTotals() {
    }

    static Map<String, Object> of(Iterable<UserStats> users, int storedFiles) {
        long started = 0;
        long completed = 0;
        long failed = 0;
        long expired = 0;
        long bytesUploaded = 0;
        long clones = 0;
        long bytesSaved = 0;
        double secondsSaved = 0;
        long storageUsed = 0;
        int count = 0;
        for (UserStats u : users) {
            count++;
            started += u.getUploadsStarted();
            completed += u.getUploadsCompleted();
            failed += u.getUploadsFailed();
            expired += u.getUploadsExpired();
            bytesUploaded += u.getBytesUploaded();
            clones += u.getClones();
            bytesSaved += u.getBytesSaved();
            secondsSaved += u.getSecondsSaved();
            storageUsed += u.getStorageUsedBytes();
        }
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("users", count);
        totals.put("uploadsStarted", started);
        totals.put("uploadsCompleted", completed);
        totals.put("uploadsFailed", failed);
        totals.put("uploadsExpired", expired);
        totals.put("uploadsInFlight", Math.max(0, started - completed - failed - expired));
        totals.put("bytesUploaded", bytesUploaded);
        totals.put("clones", clones);
        totals.put("bytesSaved", bytesSaved);
        totals.put("secondsSaved", Math.round(secondsSaved * 10) / 10.0);
        totals.put("storageUsedBytes", storageUsed);
        totals.put("storedFiles", storedFiles);
        // Share of stored bytes that dedup did not have to transfer.
        long logical = bytesUploaded + bytesSaved;
        totals.put("dedupRatio", logical == 0 ? 0.0 : Math.round(bytesSaved * 10_000.0 / logical) / 10_000.0);
        return totals;
    }
}
