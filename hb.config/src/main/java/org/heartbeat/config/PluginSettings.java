package org.heartbeat.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One entry of the client's {@code plugins:} section, as written: an {@code interval} or {@code timeout} the entry
 * does not give is empty, and the client's plugin scheduler applies its defaults (docs/PLUGIN_DEVELOPMENT.md).
 *
 * @param name the plugin name, for example {@code cpu_monitor}
 * @param interval seconds between two collections, when given
 * @param timeout seconds a collection may take before it is abandoned and reported as an error, when given
 * @param settings the plugin's own keys, as plain Java values; the plugin checks them
 */
public record PluginSettings(String name, OptionalDouble interval, OptionalDouble timeout,
        Map<String, Object> settings) {

    public PluginSettings {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }
}
