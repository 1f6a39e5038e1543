package org.heartbeat.server.internal;

import java.util.Locale;

/** What the server believes about a host; {@link #word()} is what the API and the state file say. */
public enum HostStatus {
    /** Heartbeats arrive in time. */
    UP,
    /** Nothing arrived within interval plus grace. */
    OVERDUE,
    /** Restored after a server restart; the host has not yet had a full interval plus grace to report. */
    UNKNOWN;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static HostStatus ofWord(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }
}
