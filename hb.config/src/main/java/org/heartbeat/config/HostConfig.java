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
 * @param notifyAfter missed deadlines in a row before the host is notified as overdue; 0 when not set (the
 *        top-level {@code notify_after} applies)
 * @param thresholds the host's own thresholds, which override the top-level ones for this host
 */
public record HostConfig(String name, double interval, double grace, HostKey key, String owner,
        List<String> dependsOn, List<String> tags, int notifyAfter, ThresholdsConfig thresholds) {

    public HostConfig {
        dependsOn = List.copyOf(dependsOn);
        tags = List.copyOf(tags);
        thresholds = thresholds == null ? ThresholdsConfig.NONE : thresholds;
    }

    /** A host with only a name, interval, grace and key (the rest unset). */
    public HostConfig(String name, double interval, double grace, HostKey key, String owner,
            List<String> dependsOn, List<String> tags) {
        this(name, interval, grace, key, owner, dependsOn, tags, 0, ThresholdsConfig.NONE);
    }

    @Override
    public String toString() {
        return "HostConfig[" + name + ", interval=" + interval + ", grace=" + grace + ", key="
                + (key == null ? "none" : key) + ", owner=" + owner + ", dependsOn=" + dependsOn + ", tags=" + tags
                + "]";
    }
}
