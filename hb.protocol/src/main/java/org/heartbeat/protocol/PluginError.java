package org.heartbeat.protocol;

/**
 * A plugin failed to produce a sample (type 4): it threw, timed out or produced a value that cannot be
 * sent.
 *
 * @param host the host name
 * @param seq the sequence number
 * @param timeMillis when the failure happened, by the sender's clock
 * @param intervalMillis the plugin's collection interval in milliseconds; 0 when not announced
 * @param plugin the plugin name
 * @param message what went wrong, at most {@value Protocol#MAX_ERROR_MESSAGE} bytes of UTF-8
 */
public record PluginError(String host, long seq, long timeMillis, long intervalMillis, String plugin, String message)
        implements ClientMessage {

    public PluginError {
        HostNames.check(host);
        Checks.u32("intervalMillis", intervalMillis);
        PluginNames.check(plugin);
        message = Utf8.truncate(message == null ? "" : message, Protocol.MAX_ERROR_MESSAGE);
    }

    @Override
    public MessageType type() {
        return MessageType.PLUGIN_ERROR;
    }
}
