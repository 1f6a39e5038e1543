package org.heartbeat.config;

import java.util.List;

import org.heartbeat.protocol.HostKey;

/**
 * One entry of the server's {@code hosts:} section.
 *
 * @param name the host name
 * @param interval the expected heartbeat interval in seconds; 0 when not set (the host's announced
 *        interval, else the server's, applies)
 * @param grace the grace period in seconds; negative when not set (the server's applies)
 * @param key the host's key, or null; with a key the host must sign its datagrams
 * @param owner the user who owns the host, or null
 * @param dependsOn hosts this one depends on
 * @param tags free-form labels
 */
public record HostConfig(String name, double interval, double grace, HostKey key, String owner,
        List<String> dependsOn, List<String> tags) {

    public HostConfig {
        dependsOn = List.copyOf(dependsOn);
        tags = List.copyOf(tags);
    }

    @Override
    public String toString() {
        return "HostConfig[" + name + ", interval=" + interval + ", grace=" + grace + ", key="
                + (key == null ? "none" : key) + ", owner=" + owner + ", dependsOn=" + dependsOn + ", tags=" + tags
                + "]";
    }
}
