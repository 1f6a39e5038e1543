package org.heartbeat.server.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.heartbeat.api.MetricPath;

import com.fasterxml.jackson.core.JsonGenerator;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The plugin values of a host, under {@code /api/hosts/NAME/plugins}: the latest of every plugin, of one
 * plugin, and the history of one metric. Fields are documented in docs/HTTP_API.md.
 */
final class PluginsResource {
    /** The most points one history request returns. */
    static final int MAX_POINTS = 100_000;

    private final MetricStore store;

    PluginsResource(MetricStore store) {
        this.store = store;
    }

    /** {@code GET /api/hosts/NAME/plugins}. */
    void all(String host, HttpServletResponse resp) throws IOException {
        Map<String, PluginState> plugins = store.plugins(host);
        long now = System.currentTimeMillis();
        Api.json(resp, HttpServletResponse.SC_OK, g -> {
            g.writeStartObject();
            g.writeStringField("host", host);
            g.writeObjectFieldStart("plugins");
            for (Map.Entry<String, PluginState> e : plugins.entrySet()) {
                g.writeFieldName(e.getKey());
                write(g, e.getValue(), now);
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** {@code GET /api/hosts/NAME/plugins/PLUGIN}. */
    void one(String host, String plugin, HttpServletResponse resp) throws IOException {
        PluginState state = store.plugins(host).get(plugin);
        if (state == null) {
            Api.error(resp, HttpServletResponse.SC_NOT_FOUND, "host \"" + host + "\" has no plugin \"" + plugin + "\"");
            return;
        }
        long now = System.currentTimeMillis();
        Api.json(resp, HttpServletResponse.SC_OK, g -> {
            g.writeStartObject();
            g.writeStringField("host", host);
            g.writeStringField("plugin", plugin);
            g.writeFieldName("state");
            write(g, state, now);
            g.writeEndObject();
        });
    }

    /** {@code GET /api/hosts/NAME/plugins/PLUGIN/history?metric=POINTER&since=...&until=...&step=...}. */
    void history(String host, String plugin, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long now = System.currentTimeMillis();
        String metricText = req.getParameter("metric");
        if (metricText == null || metricText.isEmpty()) {
            List<String> known = store.metrics(host, plugin);
            Api.error(resp, HttpServletResponse.SC_BAD_REQUEST, "metric: required, a JSON pointer such as "
                    + "/cpu_percent" + (known.isEmpty() ? "" : "; this plugin has " + describe(known)));
            return;
        }
        MetricPath metric;
        long since;
        long until;
        long step;
        try {
            metric = MetricPath.parse(metricText);
        } catch (IllegalArgumentException e) {
            Api.error(resp, HttpServletResponse.SC_BAD_REQUEST, "metric: " + e.getMessage());
            return;
        }
        try {
            since = time("since", req.getParameter("since"), now, now - 3_600_000);
            until = time("until", req.getParameter("until"), now, now);
            step = step(req.getParameter("step"));
        } catch (IllegalArgumentException e) {
            Api.error(resp, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        if (since > until) {
            Api.error(resp, HttpServletResponse.SC_BAD_REQUEST, "since: must not be after until");
            return;
        }
        List<HistoryStore.Point> points = store.history(host, plugin, metric, since, until, MAX_POINTS + 1);
        if (points == null) {
            List<String> known = store.metrics(host, plugin);
            Api.error(resp, HttpServletResponse.SC_NOT_FOUND, "no history of metric " + metric + " of plugin \""
                    + plugin + "\" of host \"" + host + "\"" + (known.isEmpty() ? "" : "; it has " + describe(known)));
            return;
        }
        boolean truncated = points.size() > MAX_POINTS;
        List<HistoryStore.Point> shown = truncated ? points.subList(0, MAX_POINTS) : points;
        List<HistoryStore.Point> out = step > 0 ? resample(shown, step) : shown;
        Api.json(resp, HttpServletResponse.SC_OK, g -> {
            g.writeStartObject();
            g.writeStringField("host", host);
            g.writeStringField("plugin", plugin);
            g.writeStringField("metric", metric.toString());
            Api.time(g, "since", since);
            Api.time(g, "until", until);
            if (step > 0) {
                Api.seconds(g, "step", step);
            } else {
                g.writeNullField("step");
            }
            g.writeBooleanField("truncated", truncated);
            g.writeArrayFieldStart("points");
            for (HistoryStore.Point p : out) {
                g.writeStartObject();
                Api.time(g, "time", p.timeMillis());
                g.writeNumberField("value", p.value());
                if (p.reduced()) {
                    g.writeNumberField("min", p.min());
                    g.writeNumberField("max", p.max());
                    g.writeNumberField("count", p.count());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static String describe(List<String> metrics) {
        int shown = Math.min(metrics.size(), 20);
        return String.join(", ", metrics.subList(0, shown)) + (shown < metrics.size() ? ", ..." : "");
    }

    /**
     * A time parameter: an ISO-8601 instant ({@code 2026-11-26T08:00:00Z}), date-time with offset, date (its
     * midnight UTC), or duration ({@code PT1H}: that long before now).
     */
    static long time(String name, String text, long now, long def) {
        if (text == null || text.isEmpty()) {
            return def;
        }
        try {
            if (text.startsWith("P") || text.startsWith("-P")) {
                return now - Duration.parse(text.startsWith("-") ? text.substring(1) : text).toMillis();
            }
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            if (text.endsWith("Z")) {
                return Instant.parse(text).toEpochMilli();
            }
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(name + ": not an ISO-8601 time or duration: \"" + text
                    + "\" (examples: 2026-11-26T08:00:00Z, 2026-11-26, PT1H)");
        }
    }

    private static long step(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        try {
            double seconds = Double.parseDouble(text);
            if (seconds >= 1 && seconds <= 31 * 86_400.0) {
                return Math.round(seconds * 1000);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("step: a number of seconds from 1 to 2678400, got \"" + text + "\"");
    }

    /** Points combined into steps: count-weighted average, minimum, maximum. */
    static List<HistoryStore.Point> resample(List<HistoryStore.Point> points, long stepMillis) {
        List<HistoryStore.Point> out = new ArrayList<>();
        long bucket = Long.MIN_VALUE;
        double sum = 0;
        double min = 0;
        double max = 0;
        long count = 0;
        for (HistoryStore.Point p : points) {
            long b = Math.floorDiv(p.timeMillis(), stepMillis) * stepMillis;
            if (b != bucket && count > 0) {
                out.add(new HistoryStore.Point(bucket, sum / count, min, max, count, true));
                count = 0;
            }
            if (count == 0) {
                bucket = b;
                sum = 0;
                min = p.min();
                max = p.max();
            }
            sum += p.value() * p.count();
            min = Math.min(min, p.min());
            max = Math.max(max, p.max());
            count += p.count();
        }
        if (count > 0) {
            out.add(new HistoryStore.Point(bucket, sum / count, min, max, count, true));
        }
        return out;
    }

    /** One plugin's latest state as JSON. */
    static void write(JsonGenerator g, PluginState s, long now) throws IOException {
        g.writeStartObject();
        g.writeStringField("status", s.failing() ? "failing" : s.fresh(now) ? "ok" : "stale");
        Api.time(g, "time", s.timeMillis());
        Api.time(g, "received", s.receivedMillis());
        if (s.intervalMillis() > 0) {
            Api.seconds(g, "interval", s.intervalMillis());
        } else {
            g.writeNullField("interval");
        }
        g.writeFieldName("values");
        if (s.values() == null) {
            g.writeNull();
        } else {
            g.writeObject(s.values().asMap());
        }
        if (s.error() == null) {
            g.writeNullField("error");
        } else {
            g.writeObjectFieldStart("error");
            g.writeStringField("message", s.error());
            Api.time(g, "time", s.errorMillis());
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
