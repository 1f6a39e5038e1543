package org.heartbeat.client.internal;

import java.util.Map;

/** Where the plugin scheduler sends what the plugins produce: {@link HeartbeatClient}, or a test's recorder. */
interface PluginSink {
    /**
     * Sends a plugin sample to every server.
     *
     * @throws IllegalArgumentException when the values cannot be sent, for example because they need more
     *         datagrams than a sample may have
     */
    void sendPluginSample(String plugin, long intervalMillis, Map<String, ?> values);

    /** Tells every server that a plugin failed. */
    void sendPluginError(String plugin, long intervalMillis, String message);
}
