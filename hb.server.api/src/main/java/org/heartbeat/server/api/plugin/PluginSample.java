package org.heartbeat.server.api.plugin;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.heartbeat.api.Metrics;

/**
 * One sample a client's plugin reported: its value tree, when the client collected it and when the server
 * received it. Immutable.
 */
public final class PluginSample {
    private final String host;
    private final String plugin;
    private final Instant time;
    private final Instant received;
    private final Duration interval;
    private final Metrics values;

    /**
     * @param host the host's name
     * @param plugin the plugin's name, such as {@code cpu_monitor}
     * @param time when the client collected it, by the client's clock
     * @param received when the server received it
     * @param interval the plugin's interval as the client announces it; null when it announces none
     * @param values the sample
     */
    public PluginSample(String host, String plugin, Instant time, Instant received, Duration interval,
            Metrics values) {
        this.host = Objects.requireNonNull(host, "host");
        this.plugin = Objects.requireNonNull(plugin, "plugin");
        this.time = Objects.requireNonNull(time, "time");
        this.received = Objects.requireNonNull(received, "received");
        this.interval = interval;
        this.values = Objects.requireNonNull(values, "values");
    }

    public String host() {
        return host;
    }

    public String plugin() {
        return plugin;
    }

    /** When the client collected it, by the client's clock. */
    public Instant time() {
        return time;
    }

    /** When the server received it. */
    public Instant received() {
        return received;
    }

    /** The plugin's interval as the client announces it. */
    public Optional<Duration> interval() {
        return Optional.ofNullable(interval);
    }

    public Metrics values() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PluginSample s && s.host.equals(host) && s.plugin.equals(plugin) && s.time.equals(time)
                && s.received.equals(received) && Objects.equals(s.interval, interval) && s.values.equals(values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, plugin, time);
    }

    @Override
    public String toString() {
        return "PluginSample[" + host + ", " + plugin + ", " + time + "]";
    }
}
