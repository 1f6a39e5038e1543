package org.heartbeat.api.notify;

/**
 * How urgent a notification is. Channels that have priorities or colours map these onto them; new values may
 * be added in later minor versions, so treat an unknown one as {@link #INFO}.
 */
public enum Severity {
    /** For information: a host booted, a test message, a summary of messages held back. */
    INFO,
    /** Something is back to normal: a host recovered, a value is below its threshold again. */
    OK,
    /** Worth a look soon: a value crossed its warning threshold, a check says WARNING. */
    WARNING,
    /** Someone should act now: a host is overdue, a value crossed its critical threshold. */
    CRITICAL
}
