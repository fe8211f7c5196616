package io.jettyspeed.schemas;

/**
 * What an {@link UploadSessionStatus} means, in one place: which statuses end a session (the processors
 * never leave them and start its retention; the schema's doc names the same three) and which a client may
 * resume (the gateway's answers).
 */
public final class SessionStatuses {

    private SessionStatuses() {
    }

    /** COMPLETED, FAILED and EXPIRED: the session has ended. */
    public static boolean isTerminal(UploadSessionStatus status) {
        return status == UploadSessionStatus.COMPLETED || status == UploadSessionStatus.FAILED
                || status == UploadSessionStatus.EXPIRED;
    }

    /** Not yet ended, or FAILED: a client may upload the missing chunks (an EXPIRED or COMPLETED one it may not). */
    public static boolean isResumable(UploadSessionStatus status) {
        return !isTerminal(status) || status == UploadSessionStatus.FAILED;
    }
}
