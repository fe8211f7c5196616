package io.jettyspeed.local;

/** A problem the person running the pipeline can fix; printed as one line, without a stack trace. */
final class LocalRunException extends RuntimeException {

    LocalRunException(String message) {
        super(message);
    }
}
