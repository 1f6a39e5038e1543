package org.heartbeat.server.api.alert;

import java.time.Instant;
import java.util.Optional;

import org.heartbeat.api.notify.Severity;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One active alert: a condition of one host, from the moment it is raised until it recovers. Immutable; a later
 * call of {@link Alerts#active()} returns new objects for what changed.
 */
@ProviderType
public interface Alert {
    /** What raised the alert. */
    enum Kind {
        /** The host missed its deadlines ({@code notify_after} of them in a row). */
        OVERDUE,
        /** A metric crossed a threshold of {@code thresholds:}. */
        THRESHOLD,
        /** A Nagios check reported WARNING, CRITICAL or UNKNOWN. */
        NAGIOS,
        /** A plugin of the host's client reported an error instead of values. */
        PLUGIN_ERROR
    }

    /**
     * The alert's stable id: the same condition of the same host has the same id for as long as it lasts and
     * when it comes back, for example {@code web1/overdue} or {@code web1/threshold/disk_monitor/partitions./.percent}.
     */
    String id();

    String host();

    Kind kind();

    /**
     * What on the host: empty for {@link Kind#OVERDUE}, the plugin and metric path for a threshold
     * ({@code cpu_monitor cpu_percent}), the check's name for Nagios, the plugin's name for a plugin error.
     */
    String subject();

    /** WARNING, CRITICAL or UNKNOWN (a Nagios check that cannot tell); an overdue host is CRITICAL. */
    Severity severity();

    /** When the condition began (for a threshold with a duration: when the value first crossed). */
    Instant since();

    /** The value that crossed, for a threshold. */
    Optional<Double> value();

    /** The threshold it crossed, for a threshold. */
    Optional<Double> threshold();

    /** One line for people: what happened, in the words the notification uses. */
    String message();

    /** The acknowledgement, once someone acknowledged the alert: no more reminders until it recovers. */
    Optional<Acknowledgement> acknowledgement();

    /** Whether a silence covers the host now: the alert is kept but not notified. */
    boolean silenced();

    /** Whether the alert changes state too often to notify each change (reported once as flapping). */
    boolean flapping();

    /**
     * Why its notification is held back, if it is: the parent host it depends on is overdue
     * ({@code depends_on}), or the storm guard summarised it. Empty when it was notified (or is about to be).
     */
    Optional<String> heldBack();

    /** When it was last notified to its recipients; empty when not (yet). */
    Optional<Instant> lastNotified();
}
