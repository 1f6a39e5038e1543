package org.heartbeat.server.alerting.internal;

import java.time.Instant;
import java.util.Optional;

import org.heartbeat.api.notify.Severity;
import org.heartbeat.server.api.alert.Acknowledgement;
import org.heartbeat.server.api.alert.Alert;

/**
 * An active alert as the engine keeps it: mutable, touched only by the engine under its lock, stored after each
 * change ({@link AlertStore}). {@link #view(boolean, boolean)} makes the immutable {@link Alert} the API hands out.
 */
final class AlertState {
    final String id;
    final String host;
    final Alert.Kind kind;
    final String subject;
    Severity severity;
    Instant since;
    Double value;
    Double threshold;
    String message;
    /** When its notification is due; null once notified, or when nothing is to be sent. */
    Instant notifyAt;
    /** When its recipients last heard of it; null when never. */
    Instant lastNotified;
    /** Whether it was announced only as part of a summary (its recovery is summarised too). */
    boolean viaSummary;
    Acknowledgement ack;
    /** Why it is held back (dependency, storm); null when it is not. */
    String heldBack;

    AlertState(String id, String host, Alert.Kind kind, String subject) {
        this.id = id;
        this.host = host;
        this.kind = kind;
        this.subject = subject;
    }

    static String overdueId(String host) {
        return host + "/overdue";
    }

    Alert view(boolean silenced, boolean flapping) {
        return new View(id, host, kind, subject, severity, since, Optional.ofNullable(value),
                Optional.ofNullable(threshold), message, Optional.ofNullable(ack), silenced, flapping,
                Optional.ofNullable(heldBack), Optional.ofNullable(lastNotified));
    }

    private record View(String id, String host, Kind kind, String subject, Severity severity, Instant since,
            Optional<Double> value, Optional<Double> threshold, String message,
            Optional<Acknowledgement> acknowledgement, boolean silenced, boolean flapping,
            Optional<String> heldBack, Optional<Instant> lastNotified) implements Alert {
    }
}
