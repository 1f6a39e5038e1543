package org.heartbeat.config;

import java.util.Map;
import java.util.Objects;

/**
 * One entry of {@code notification_channels:}: a named channel of a type that a channel bundle provides.
 *
 * @param name the channel's name
 * @param type its {@code type:}, such as {@code pushover}
 * @param settings the entry's other keys as written; nested mappings flattened with dots ({@code a.b}), lists of
 *        scalars as lists of strings, scalars as they were read (String, Long, Double, Boolean). They may
 *        hold secrets: never log them.
 * @param line the line the entry starts on, for messages
 */
public record ChannelConfig(String name, String type, Map<String, Object> settings, int line) {
    public ChannelConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        settings = Map.copyOf(settings);
    }

    @Override
    public String toString() {
        // settings hold tokens and passwords: only their keys appear
        return "ChannelConfig[" + name + ", type=" + type + ", keys=" + new java.util.TreeSet<>(settings.keySet())
                + "]";
    }
}
