package org.heartbeat.server.alerting.internal.threshold;

/**
 * The state of one value against its thresholds, or of one Nagios check. {@link #UNKNOWN} comes only from a Nagios
 * check that cannot tell (exit code 3 or anything unexpected); a threshold is OK, WARNING or CRITICAL.
 */
public enum Level {
    OK, WARNING, CRITICAL, UNKNOWN
}
