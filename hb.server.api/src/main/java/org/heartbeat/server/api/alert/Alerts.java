package org.heartbeat.server.api.alert;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The alerts in force and what people do about them. A service of the alerting bundle; safe from any thread.
 * Acknowledgements and silences are stored before the methods return, so they survive a restart of {@code hbd}.
 * Who may do what is the caller's business (the HTTP API checks the user's role and hosts).
 */
@ProviderType
public interface Alerts {
    /** The active alerts, oldest first. */
    List<Alert> active();

    /** One active alert by its {@link Alert#id()}. */
    Optional<Alert> get(String id);

    /**
     * Acknowledges the active alerts of a host: no reminders until each recovers.
     *
     * @param host the host's exact name
     * @param alertId one alert's id, or null for every active alert of the host
     * @param user who acknowledges
     * @param comment free text, may be empty
     * @return the alerts acknowledged now (empty when none was active or all were acknowledged already)
     */
    List<Alert> acknowledge(String host, String alertId, String user, String comment);

    /**
     * Silences one host, or every host, for a while (a maintenance window).
     *
     * @param host the host's exact name, or null for every host
     * @param length how long, from now; positive
     * @param user who silences
     * @param reason free text, may be empty
     * @return the silence
     * @throws IllegalArgumentException when the length is not positive or longer than a year
     */
    Silence silence(String host, Duration length, String user, String reason);

    /** Lifts a silence before its end; false when there is none with that id. */
    boolean unsilence(String silenceId, String user);

    /** The silences in force and those to come, by their end. */
    List<Silence> silences();

    /**
     * The history of alerts, newest first: each raised, notified, acknowledged, recovered alert and so on. The
     * alerting bundle keeps the latest {@value #HISTORY_KEPT} records, across restarts.
     *
     * @param host only this host's; null for every host
     * @param limit at most this many
     */
    List<AlertRecord> history(String host, int limit);

    /** How many history records are kept. */
    int HISTORY_KEPT = 20_000;
}
