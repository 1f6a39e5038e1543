package org.heartbeat.config;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One rule of a {@code thresholds:} block: a plugin, a metric path that may hold wildcards, and the levels at
 * which its value alerts. docs/THRESHOLD_ALERTING.md names every key.
 *
 * <pre>{@code
 * disk_monitor:
 *   partitions:
 *     "*":
 *       percent: {warning: 80, critical: 90, for: 5m}
 * }</pre>
 *
 * is the rule <code>disk_monitor /partitions/*&#47;percent</code>, warning 80, critical 90, for 300 seconds, with the
 * default hysteresis of 5% of each threshold. Immutable; compares by value.
 *
 * @param plugin the plugin's name, such as {@code disk_monitor}
 * @param path the keys from the plugin's root to the value, unescaped ({@code [partitions, /, percent]});
 *        {@value #ANY} matches any one key or list index
 * @param warning the warning threshold, or null for none
 * @param critical the critical threshold, or null for none
 * @param lowerIsWorse whether the value alerts when it falls to a threshold (free space) rather than rises to it
 * @param forSeconds how long a value must stay at or past a threshold before it alerts; 0 for at once
 * @param hysteresis how far a value must come back past a threshold before it leaves that level, in the metric's
 *        unit, or in percent of the threshold when {@code hysteresisPercent}
 * @param hysteresisPercent whether {@code hysteresis} is a percentage of each threshold
 * @param disabled whether the rule alerts on nothing: a host's way to switch off a top-level rule (or the Nagios
 *        states) for the values it matches
 */
public record ThresholdRule(String plugin, List<String> path, Double warning, Double critical, boolean lowerIsWorse,
        double forSeconds, double hysteresis, boolean hysteresisPercent, boolean disabled) {

    /** The path segment that matches any one key or list index. */
    public static final String ANY = "*";

    /** The hysteresis a rule without the key has: 5% of each threshold. */
    public static final double DEFAULT_HYSTERESIS_PERCENT = 5;

    /**
     * Orders rules of one plugin most specific first: by path length, then, segment by segment, a key before a
     * wildcard. The first rule of this order that matches a value is the one that applies to it.
     */
    public static final Comparator<ThresholdRule> MOST_SPECIFIC_FIRST = (a, b) -> {
        int c = Integer.compare(a.path.size(), b.path.size());
        for (int i = 0; c == 0 && i < a.path.size(); i++) {
            c = Boolean.compare(a.path.get(i).equals(ANY), b.path.get(i).equals(ANY));
        }
        return c;
    };

    public ThresholdRule {
        Objects.requireNonNull(plugin, "plugin");
        path = List.copyOf(path);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("a threshold needs a metric path");
        }
        if (!disabled && warning == null && critical == null) {
            throw new IllegalArgumentException("a threshold needs warning or critical");
        }
        if (warning != null && critical != null && warning.doubleValue() != critical.doubleValue()
                && lowerIsWorse != warning > critical) {
            throw new IllegalArgumentException(lowerIsWorse ? "lower is worse, so warning must be above critical"
                    : "higher is worse, so warning must be below critical");
        }
        if (forSeconds < 0 || hysteresis < 0) {
            throw new IllegalArgumentException("for and hysteresis must not be negative");
        }
    }

    /** A rule that switches off whatever other rule would match {@code path}. */
    public static ThresholdRule disabled(String plugin, List<String> path) {
        return new ThresholdRule(plugin, path, null, null, false, 0, 0, false, true);
    }

    /** Whether the rule matches the value at these keys of the plugin's sample. */
    public boolean matches(List<String> segments) {
        if (segments.size() != path.size()) {
            return false;
        }
        for (int i = 0; i < path.size(); i++) {
            if (!path.get(i).equals(ANY) && !path.get(i).equals(segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether the path holds a wildcard. */
    public boolean hasWildcard() {
        return path.contains(ANY);
    }

    /**
     * How far past {@code threshold}, toward normal, a value must come back to leave that threshold's level.
     */
    public double margin(double threshold) {
        return hysteresisPercent ? Math.abs(threshold) * hysteresis / 100 : hysteresis;
    }

    /** The path as a JSON Pointer, as the history, the API and messages write it: {@code /partitions/~1/percent}. */
    public String pointer() {
        return pointer(path);
    }

    /** Keys as a JSON Pointer (RFC 6901): {@code ~} written {@code ~0}, {@code /} written {@code ~1}. */
    public static String pointer(List<String> segments) {
        StringBuilder sb = new StringBuilder();
        for (String s : segments) {
            sb.append('/').append(s.replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(plugin).append(' ').append(pointer());
        if (disabled) {
            return s.append(" disabled").toString();
        }
        if (warning != null) {
            s.append(" warning ").append(Section.plain(warning));
        }
        if (critical != null) {
            s.append(" critical ").append(Section.plain(critical));
        }
        if (lowerIsWorse) {
            s.append(" (lower is worse)");
        }
        if (forSeconds > 0) {
            s.append(" for ").append(Section.plain(forSeconds)).append(" s");
        }
        return s.append(" hysteresis ").append(Section.plain(hysteresis)).append(hysteresisPercent ? "%" : "")
                .toString();
    }
}
