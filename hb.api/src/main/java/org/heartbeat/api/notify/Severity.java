package org.heartbeat.api.notify;

/**
 * How urgent a notification is. Channels that have priorities or colours map these onto them; new values may
 * be added in later minor versions, so treat a value your channel does not know as {@link #INFO} (a
 * {@code switch} over it needs a {@code default}).
 */
public enum Severity {
    /** For information: a host booted, a test message, a summary of messages held back. */
    INFO,
    /** Something is back to normal: a host recovered, a value is below its threshold again. */
    OK,
    /** Worth a look soon: a value crossed its warning threshold, a check says WARNING. */
    WARNING,
    /** Someone should act now: a host is overdue, a value crossed its critical threshold. */
    CRITICAL,
    /**
     * The state is not known: a Nagios check said UNKNOWN (it could not check: a missing argument, a timeout).
     * Worth a look like {@link #WARNING}; channels without a better way to show it treat it as one.
     *
     * @since 1.1
     */
    UNKNOWN
}
