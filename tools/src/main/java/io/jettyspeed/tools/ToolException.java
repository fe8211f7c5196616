package io.jettyspeed.tools;

/**
 * What went wrong, in one line for the operator (no stack trace), and the exit status to end with.
 */
public class ToolException extends RuntimeException {

    /** Bad arguments: the usage hint follows the message. */
    public static final int USAGE = 2;
    /** Kafka unreachable, topic missing, a send refused. */
    public static final int FAILED = 1;

    private final int exitStatus;

    public ToolException(String message) {
        this(message, FAILED);
    }

    public ToolException(String message, int exitStatus) {
        super(message);
        this.exitStatus = exitStatus;
    }

    public static ToolException usage(String message) {
        return new ToolException(message, USAGE);
    }

    public int exitStatus() {
        return exitStatus;
    }
}
