package org.heartbeat.config;

import java.util.Map;

/**
 * A {@code thresholds:} block, at the top level or under one host of {@code hosts:}.
 * (Placeholder: the rules are parsed and checked by the threshold work of issue 7.)
 *
 * @param raw the block as read
 */
public record ThresholdsConfig(Map<String, Object> raw) {
    public static final ThresholdsConfig NONE = new ThresholdsConfig(Map.of());

    static ThresholdsConfig from(Section parent, String key) {
        Object value = parent.plain(key);
        if (value == null) {
            return NONE;
        }
        if (!(value instanceof Map<?, ?>)) {
            parent.error(key, "expected a mapping of plugin names");
            return NONE;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) value;
        return new ThresholdsConfig(m);
    }

    public boolean isEmpty() {
        return raw.isEmpty();
    }
}
