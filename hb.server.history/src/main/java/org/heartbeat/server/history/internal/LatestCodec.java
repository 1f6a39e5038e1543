package org.heartbeat.server.history.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.heartbeat.api.Metrics;
import org.heartbeat.server.api.plugin.PluginState;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A plugin's latest state as the store keeps it: a JSON object
 * {@code {"time", "received", "interval", "values", "error", "error_time"}} with times in ISO-8601 ({@code
 * 2026-11-26T08:00:00.012345Z}, exact to the nanosecond) and the interval as an ISO-8601 duration ({@code PT1M}).
 * Files written before the history had a bundle of its own hold milliseconds, 0 for none; they are read too.
 */
final class LatestCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

    private LatestCodec() {
    }

    static byte[] encode(PluginState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", s.time().map(Instant::toString).orElse(null));
        m.put("received", s.received().map(Instant::toString).orElse(null));
        m.put("interval", s.interval().map(Duration::toString).orElse(null));
        m.put("values", s.values().map(Metrics::asMap).orElse(null));
        m.put("error", s.error().orElse(null));
        m.put("error_time", s.errorTime().map(Instant::toString).orElse(null));
        try {
            return JSON.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the state of a plugin", e);
        }
    }

    /**
     * @throws IOException when the bytes are not such an object
     * @throws IllegalArgumentException or {@link java.time.format.DateTimeParseException} when a field is wrong
     */
    static PluginState decode(byte[] bytes) throws IOException {
        Map<String, Object> m = JSON.readValue(bytes, OBJECT);
        @SuppressWarnings("unchecked")
        Map<String, Object> values = m.get("values") instanceof Map<?, ?> v ? (Map<String, Object>) v : null;
        return new PluginState(instant(m.get("time")), instant(m.get("received")), duration(m.get("interval")),
                values == null ? null : Metrics.of(values), (String) m.get("error"), instant(m.get("error_time")));
    }

    private static Instant instant(Object v) {
        if (v instanceof String s) {
            return Instant.parse(s);
        }
        return v instanceof Number n && n.longValue() != 0 ? Instant.ofEpochMilli(n.longValue()) : null;
    }

    private static Duration duration(Object v) {
        if (v instanceof String s) {
            return Duration.parse(s);
        }
        return v instanceof Number n && n.longValue() > 0 ? Duration.ofMillis(n.longValue()) : null;
    }
}
