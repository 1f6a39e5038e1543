package org.heartbeat.plugin.support;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Checks of a plugin's configuration that do not depend on what the plugin measures. */
public final class Settings {
    private Settings() {
    }

    /**
     * The first key of {@code properties} that is neither one of {@code known} nor {@code interval} or
     * {@code timeout}, as a message; null when there is none. Keys with a dot are left alone: the framework's own
     * ({@code service.pid}, {@code component.name}...) have one.
     *
     * <pre>{@code
     * Settings.unknownKey("cpu_monitor", Map.of("interval", 10.0, "percpu", "false"), Set.of())
     * // "unknown setting \"percpu\": cpu_monitor has no settings"
     * }</pre>
     */
    public static String unknownKey(String plugin, Map<String, ?> properties, Set<String> known) {
        for (String key : new TreeSet<>(properties.keySet())) {
            if (key.indexOf('.') < 0 && !key.equals("interval") && !key.equals("timeout") && !known.contains(key)) {
                return "unknown setting \"" + key + "\": " + plugin
                        + (known.isEmpty() ? " has no settings" : " knows " + String.join(", ", new TreeSet<>(known)));
            }
        }
        return null;
    }
}
