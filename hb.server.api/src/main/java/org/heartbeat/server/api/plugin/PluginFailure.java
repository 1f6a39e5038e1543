package org.heartbeat.server.api.plugin;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A client's report that one of its plugins failed to collect: its message and when it arrived. Immutable. */
public final class PluginFailure {
    private final String host;
    private final String plugin;
    private final Instant received;
    private final Duration interval;
    private final String message;

    /**
     * @param host the host's name
     * @param plugin the plugin's name
     * @param received when the server received the report
     * @param interval the plugin's interval as the client announces it; null when it announces none
     * @param message what the client says went wrong
     */
    public PluginFailure(String host, String plugin, Instant received, Duration interval, String message) {
        this.host = Objects.requireNonNull(host, "host");
        this.plugin = Objects.requireNonNull(plugin, "plugin");
        this.received = Objects.requireNonNull(received, "received");
        this.interval = interval;
        this.message = Objects.requireNonNull(message, "message");
    }

    public String host() {
        return host;
    }

    public String plugin() {
        return plugin;
    }

    public Instant received() {
        return received;
    }

    public Optional<Duration> interval() {
        return Optional.ofNullable(interval);
    }

    public String message() {
        return message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PluginFailure f && f.host.equals(host) && f.plugin.equals(plugin)
                && f.received.equals(received) && Objects.equals(f.interval, interval) && f.message.equals(message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, plugin, received);
    }

    @Override
    public String toString() {
        return "PluginFailure[" + host + ", " + plugin + ", " + message + "]";
    }
}
