package io.jettyspeed.simulator;

/**
 * One upload the simulator will perform, decided in advance from the seed.
 *
 * @param index        position in the workload (also part of its event ids)
 * @param startAtMillis when it starts, in milliseconds after the simulation started
 * @param user         who uploads
 * @param fileName     the file's name
 * @param fileSize     bytes
 * @param fileHash     {@code sha256:} plus 64 hex; equal to an earlier scenario's for duplicates
 * @param duplicateOf  index of the earlier scenario with the same content, or -1
 * @param outcome      how it ends
 * @param interruptAt  for {@link Outcome#FAIL} and {@link Outcome#RESUME}: the share of chunks done when it stops
 * @param seed         seed of this upload's own random choices (chunk outcomes, edge picks)
 */
public record UploadScenario(int index, long startAtMillis, SimUser user, String fileName, long fileSize,
        String fileHash, int duplicateOf, Outcome outcome, double interruptAt, long seed) {

    public enum Outcome {
        /** Uploads every chunk and completes (or is an instant clone when the content is known). */
        COMPLETE,
        /** Stops part-way and reports the failure. */
        FAIL,
        /** Stops part-way on the first device; a second device looks the session up and finishes it. */
        RESUME
    }

    public boolean isDuplicate() {
        return duplicateOf >= 0;
    }
}
