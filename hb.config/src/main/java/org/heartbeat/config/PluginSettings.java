package org.heartbeat.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of the client's {@code plugins:} section.
 *
 * @param name the plugin name, for example {@code cpu_monitor}
 * @param interval seconds between two collections
 * @param timeout seconds a collection may take before it is abandoned and reported as an error
 * @param settings the plugin's own keys, as plain Java values; the plugin checks them
 */
public record PluginSettings(String name, double interval, double timeout, Map<String, Object> settings) {
    /** Interval when the configuration gives none. */
    public static final double DEFAULT_INTERVAL = 60;
    /** The longest default timeout; a shorter interval makes the default timeout shorter. */
    public static final double MAX_DEFAULT_TIMEOUT = 30;

    public PluginSettings {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }
}
