package org.heartbeat.server.api.alert;

import java.time.Instant;
import java.util.Objects;

import org.heartbeat.api.notify.Severity;

/**
 * One step in the life of an alert, for its history ({@link Alerts#history(String, int)}): raised, notified,
 * acknowledged, recovered, ...
 *
 * @param id the record's number, rising
 * @param time when
 * @param alertId the alert's {@link Alert#id()}
 * @param host the host
 * @param kind what raised the alert
 * @param severity the alert's severity then ({@link Severity#OK} for a recovery)
 * @param step what happened: {@code raised}, {@code changed} (severity), {@code notified}, {@code held} (held back),
 *        {@code acknowledged}, {@code recovered}, {@code closed} (ended without a recovery notice: forgotten host,
 *        removed rule), {@code flapping}, {@code settled}
 * @param text the alert's message then, or the acknowledgement's comment
 * @param user who did it, for {@code acknowledged}; empty otherwise
 */
public record AlertRecord(long id, Instant time, String alertId, String host, Alert.Kind kind, Severity severity,
        String step, String text, String user) {
    public AlertRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(step, "step");
        text = text == null ? "" : text;
        user = user == null ? "" : user;
    }
}
