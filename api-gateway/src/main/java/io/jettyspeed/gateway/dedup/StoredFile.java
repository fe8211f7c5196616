package io.jettyspeed.gateway.dedup;

import java.time.Instant;

/**
 * A file the dedup index knows by its content hash.
 *
 * @param fileHash SHA-256, 64 lower-case hex characters
 * @param ownerUserId user whose upload first stored it
 * @param fileSize size in bytes
 * @param location where the stored copy lives (URL or object key)
 * @param firstSeen when it was first stored
 * @param referenceCount how many uploads point at it (the first plus its clones)
 */
public record StoredFile(String fileHash, String ownerUserId, long fileSize, String location, Instant firstSeen,
        long referenceCount) {
}
