package org.heartbeat.protocol;

/** A message a monitored host sends to the server. */
public sealed interface ClientMessage extends Message permits Heartbeat, PluginData, PluginError {
    /** The host name the sender speaks for. */
    String host();

    /**
     * For heartbeats the client's heartbeat interval, for plugin messages the plugin's collection interval,
     * in milliseconds; 0 when not announced.
     */
    long intervalMillis();
}
