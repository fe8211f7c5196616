package io.jettyspeed.gateway.state;

/** The gateway's local copies of the processors' compacted topics, by what they hold. */
public enum ViewKind {
    EDGE_HEALTH,
    FILE_INDEX,
    UPLOAD_SESSIONS,
    USER_STATS
}
