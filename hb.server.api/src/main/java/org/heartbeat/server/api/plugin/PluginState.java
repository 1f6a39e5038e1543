package org.heartbeat.server.api.plugin;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.heartbeat.api.Metrics;

/**
 * The latest news from one plugin of one host: its last sample and its last failure, the later of which decides
 * whether it is failing. Immutable.
 */
public final class PluginState {
    /** What {@link #status(Instant)} says. */
    public enum Status {
        /** The last report, within three intervals, was a sample. */
        OK,
        /** The last report, within three intervals, was a failure. */
        FAILING,
        /** Nothing within three of the plugin's intervals (five minutes when its interval is unknown). */
        STALE;

        /** {@code ok}, {@code failing}, {@code stale}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How long a plugin whose interval is unknown may stay silent before it is stale. */
    public static final Duration UNKNOWN_INTERVAL_WINDOW = Duration.ofMinutes(5);

    private final Instant time;
    private final Instant received;
    private final Duration interval;
    private final Metrics values;
    private final String error;
    private final Instant errorTime;

    /**
     * @param time when the last sample was collected, client clock; null when none arrived
     * @param received when the last sample arrived, server clock; null when none arrived
     * @param interval the plugin's interval as last announced; null when unknown
     * @param values the last sample; null when none arrived
     * @param error the last failure's message; null when none arrived
     * @param errorTime when the last failure arrived; null when none arrived
     */
    public PluginState(Instant time, Instant received, Duration interval, Metrics values, String error,
            Instant errorTime) {
        if ((values == null) != (received == null) || (error == null) != (errorTime == null)) {
            throw new IllegalArgumentException("a sample needs its time of arrival, and a failure its time");
        }
        this.time = time;
        this.received = received;
        this.interval = interval;
        this.values = values;
        this.error = error;
        this.errorTime = errorTime;
    }

    /** When the last sample was collected, by the client's clock. */
    public Optional<Instant> time() {
        return Optional.ofNullable(time);
    }

    /** When the last sample arrived, server clock. */
    public Optional<Instant> received() {
        return Optional.ofNullable(received);
    }

    /** The plugin's interval as the client last announced it. */
    public Optional<Duration> interval() {
        return Optional.ofNullable(interval);
    }

    /** The last sample. */
    public Optional<Metrics> values() {
        return Optional.ofNullable(values);
    }

    /** The last failure's message; it stays after the plugin recovers ({@link #status} says which came last). */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    /** When the last failure arrived. */
    public Optional<Instant> errorTime() {
        return Optional.ofNullable(errorTime);
    }

    /** When the plugin was last heard from, sample or failure. */
    public Instant lastHeard() {
        if (received == null) {
            return errorTime;
        }
        return errorTime == null || received.isAfter(errorTime) ? received : errorTime;
    }

    /** Whether the last report was a failure. */
    public boolean failing() {
        return errorTime != null && (received == null || !errorTime.isBefore(received));
    }

    /**
     * The plugin's status at {@code now}: {@link Status#STALE} once it has been silent for three of its intervals,
     * whatever its last word was; else {@link Status#FAILING} or {@link Status#OK} by its last report.
     */
    public Status status(Instant now) {
        Duration window = interval == null || interval.isZero() ? UNKNOWN_INTERVAL_WINDOW : interval.multipliedBy(3);
        if (Duration.between(lastHeard(), now).compareTo(window) > 0) {
            return Status.STALE;
        }
        return failing() ? Status.FAILING : Status.OK;
    }

    /** This state after a new sample. */
    public PluginState withSample(PluginSample s) {
        return new PluginState(s.time(), s.received(), s.interval().orElse(interval), s.values(), error, errorTime);
    }

    /** This state after a failure report. */
    public PluginState withFailure(PluginFailure f) {
        return new PluginState(time, received, f.interval().orElse(interval), values, f.message(), f.received());
    }

    /** The state of a plugin first heard of through this sample. */
    public static PluginState of(PluginSample s) {
        return new PluginState(s.time(), s.received(), s.interval().orElse(null), s.values(), null, null);
    }

    /** The state of a plugin first heard of through this failure. */
    public static PluginState of(PluginFailure f) {
        return new PluginState(null, null, f.interval().orElse(null), null, f.message(), f.received());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PluginState s && Objects.equals(s.time, time) && Objects.equals(s.received, received)
                && Objects.equals(s.interval, interval) && Objects.equals(s.values, values)
                && Objects.equals(s.error, error) && Objects.equals(s.errorTime, errorTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(time, received, interval, error, errorTime);
    }

    @Override
    public String toString() {
        return "PluginState[received " + received + (failing() ? ", failing: " + error : "") + "]";
    }
}
