package org.heartbeat.server.internal;

/**
 * A change in a host's life: the server logs each one, and later alerting, notification and the
 * dashboard listen to the same stream.
 *
 * @param type what happened
 * @param host the host name
 * @param timeMillis when it happened, server wall clock
 * @param message one line for people: which host, what happened, since when
 */
public record HostEvent(Type type, String host, long timeMillis, String message) {
    public enum Type {
        /** A host reported for the first time. */
        NEW,
        /** A host sent a boot message. */
        BOOT,
        /** Nothing arrived within interval plus grace. */
        OVERDUE,
        /** An overdue host reported again. */
        RECOVERED,
        /** Two machines seem to report under one name. */
        NAME_CONFLICT,
        /** A host silent for longer than forget_after was dropped. */
        FORGOTTEN
    }
}
