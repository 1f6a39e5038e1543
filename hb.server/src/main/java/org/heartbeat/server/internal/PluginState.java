package org.heartbeat.server.internal;

import org.heartbeat.api.Metrics;

/**
 * The latest news from one plugin of one host: its last sample and its last error, whichever came last
 * deciding whether it is failing.
 *
 * @param timeMillis when the last sample was collected, by the client's clock; 0 when none arrived
 * @param receivedMillis when the last sample arrived, server clock; 0 when none arrived
 * @param intervalMillis the plugin's interval as the client announced it; 0 when not announced
 * @param values the last sample, or null when only errors arrived
 * @param error the last error's message, or null when none arrived
 * @param errorMillis when the last error arrived, server clock; 0 when none arrived
 */
public record PluginState(long timeMillis, long receivedMillis, long intervalMillis, Metrics values, String error,
        long errorMillis) {

    static final PluginState NONE = new PluginState(0, 0, 0, null, null, 0);

    PluginState withSample(long time, long received, long interval, Metrics sample) {
        return new PluginState(time, received, interval > 0 ? interval : intervalMillis, sample, error, errorMillis);
    }

    PluginState withError(long received, long interval, String message) {
        return new PluginState(timeMillis, receivedMillis, interval > 0 ? interval : intervalMillis, values, message,
                received);
    }

    /** Whether the plugin's last word was an error. */
    public boolean failing() {
        return error != null && errorMillis >= receivedMillis;
    }

    /** When the plugin was last heard from, sample or error, server clock. */
    public long lastHeardMillis() {
        return Math.max(receivedMillis, errorMillis);
    }

    /**
     * Whether the last sample is recent: received within three of the plugin's intervals (five minutes when the
     * interval is unknown). Older values are not exported as current.
     */
    public boolean fresh(long nowMillis) {
        long window = intervalMillis > 0 ? 3 * intervalMillis : 300_000;
        return values != null && nowMillis - receivedMillis <= window;
    }
}
