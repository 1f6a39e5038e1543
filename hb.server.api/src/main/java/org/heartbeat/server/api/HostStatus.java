package org.heartbeat.server.api;

import java.util.Locale;

/**
 * What the server believes about a host. {@link #word()} is how the API, the state file and the logs write it.
 * Later minor versions may add values: treat an unknown one like {@link #UNKNOWN}.
 */
public enum HostStatus {
    /** Heartbeats arrive in time. */
    UP,
    /** Nothing arrived within the host's interval plus grace. */
    OVERDUE,
    /**
     * Not yet known: a host restored after a server restart, or a configured host that never reported, that has
     * not yet had a full interval plus grace to report.
     */
    UNKNOWN;

    /** The lower-case word: {@code up}, {@code overdue}, {@code unknown}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The status a word names, in any case.
     *
     * @throws IllegalArgumentException for a word that names none
     */
    public static HostStatus ofWord(String word) {
        for (HostStatus s : values()) {
            if (s.name().equalsIgnoreCase(word)) {
                return s;
            }
        }
        throw new IllegalArgumentException("not a host status: \"" + word + "\" (up, overdue or unknown)");
    }
}
