package org.heartbeat.server.alerting.internal.threshold;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Objects;

import org.heartbeat.api.MetricPath;
import org.heartbeat.server.api.alert.Alert;

/**
 * One value, or one Nagios check, of one host that changed its {@link Level}: what {@link ThresholdEvaluator}
 * returns, and what the alerting engine raises, updates or closes an alert with and notifies.
 *
 * <pre>{@code
 * new ThresholdChange("web1", "disk_monitor", MetricPath.parse("/partitions/~1/percent"), Alert.Kind.THRESHOLD,
 *         Level.OK, Level.CRITICAL, 93.2, 90.0, false, since, Cause.VALUE, null).message()
 *   // "disk_monitor /partitions/~1/percent is CRITICAL: 93.2, at or above 90"
 * }</pre>
 *
 * @param host the host's name
 * @param plugin the plugin's name
 * @param path where the value sits in the plugin's sample, written as a JSON Pointer in messages
 * @param kind {@link Alert.Kind#THRESHOLD} for a rule of {@code thresholds:}, {@link Alert.Kind#NAGIOS} for the
 *        state of a Nagios check (path {@code /checks/NAME/state})
 * @param from the level before
 * @param to the level now; {@link Level#OK} is a recovery
 * @param value the value that caused it (a Nagios state as 0 to 3); null when the value is no longer reported or
 *        its rule was removed
 * @param threshold the threshold of {@code to} when it is WARNING or CRITICAL; for a recovery the one of
 *        {@code from}, which the value is now clear of; null for Nagios and for a value no longer reported
 * @param lowerIsWorse whether the rule alerts on low values
 * @param since when the new level began: for a threshold with {@code for:}, when the value first reached it
 * @param cause why
 * @param detail the check's output line for Nagios; null otherwise
 */
public record ThresholdChange(String host, String plugin, MetricPath path, Alert.Kind kind, Level from, Level to,
        Double value, Double threshold, boolean lowerIsWorse, Instant since, Cause cause, String detail) {

    /** Why a level changed. */
    public enum Cause {
        /** A sample's value (or a check's state) crossed a threshold, or a {@code for:} duration ran out. */
        VALUE,
        /** The value was missing from {@value ThresholdEvaluator#MISSING_SAMPLES} samples of its plugin in a row. */
        GONE,
        /** {@code hbd reload} removed or disabled the rule; close the alert without notifying. */
        UNCONFIGURED
    }

    public ThresholdChange {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(cause, "cause");
    }

    /** Whether the value is back to normal. */
    public boolean recovered() {
        return to == Level.OK;
    }

    /**
     * What it is about, as {@link Alert#subject()} says: the plugin and path of a threshold
     * ({@code cpu_monitor /cpu_percent}), the check's name for Nagios.
     */
    public String subject() {
        return kind == Alert.Kind.NAGIOS ? path.segments().get(1) : plugin + " " + path;
    }

    /**
     * One line for people, without the host (the notification's title names it), for example
     * {@code cpu_monitor /cpu_percent is WARNING: 85.3, at or above 80},
     * {@code cpu_monitor /cpu_percent recovered: 71.2 (was WARNING, threshold 80)},
     * {@code Nagios check load is CRITICAL: LOAD CRITICAL - load average: 12.10}.
     */
    public String message() {
        String what = kind == Alert.Kind.NAGIOS ? "Nagios check " + subject() : subject();
        if (cause == Cause.GONE) {
            return what + " is no longer reported (was " + from + ")";
        }
        if (cause == Cause.UNCONFIGURED) {
            return what + ": its threshold was removed (was " + from + ")";
        }
        if (kind == Alert.Kind.NAGIOS) {
            String head = what + (to == Level.OK ? " recovered" : " is " + to);
            return detail == null || detail.isEmpty() ? head : head + ": " + detail;
        }
        if (to == Level.OK) {
            return what + " recovered: " + number(value) + " (was " + from
                    + (threshold == null ? ")" : ", threshold " + number(threshold) + ")");
        }
        String side = lowerIsWorse ? "at or below " : "at or above ";
        return what + " is " + to + ": " + number(value) + ", " + side + number(threshold)
                + (from == Level.OK ? "" : " (was " + from + ")");
    }

    /** A number as people write it: no trailing zeros, at most two decimals. */
    static String number(Double v) {
        if (v == null) {
            return "?";
        }
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
