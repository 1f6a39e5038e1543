package org.heartbeat.protocol;

/**
 * A datagram that does not follow the protocol. It carries a {@link Reason} for counting and a message
 * for the log; it has no stack trace, because garbage arriving at a high rate must stay cheap to reject.
 */
public final class MalformedDatagramException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a datagram was turned away; each is counted separately by the server. */
    public enum Reason {
        TRUNCATED,
        OVERSIZED,
        BAD_MAGIC,
        UNKNOWN_VERSION,
        UNKNOWN_TYPE,
        BAD_FLAGS,
        BAD_HOST_NAME,
        BAD_PLUGIN_NAME,
        BAD_UTF8,
        NON_FINITE,
        BAD_VALUE,
        BAD_FIELD,
        TRAILING_BYTES
    }

    private final Reason reason;

    public MalformedDatagramException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
