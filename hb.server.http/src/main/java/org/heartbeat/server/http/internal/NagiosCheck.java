package org.heartbeat.server.http.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@code hbd check} decides from the daemon's answers, kept apart from the HTTP so it can be tested with
 * plain JSON: a Nagios state, one status line and performance data (docs/NAGIOS_INTEGRATION.md, section 2).
 */
final class NagiosCheck {
    static final int OK = 0;
    static final int WARNING = 1;
    static final int CRITICAL = 2;
    static final int UNKNOWN = 3;
    private static final String[] WORDS = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

    /** A verdict: exit status and what to print. */
    record Result(int state, String text, List<String> perfdata) {
        /** The one line Nagios shows: {@code HEARTBEAT OK - text | perfdata}. */
        String line() {
            String head = "HEARTBEAT " + WORDS[state] + " - " + text.replace('\n', ' ').replace('|', '/');
            return perfdata.isEmpty() ? head : head + " | " + String.join(" ", perfdata);
        }
    }

    private NagiosCheck() {
    }

    static Result unknown(String text) {
        return new Result(UNKNOWN, text, List.of());
    }

    /**
     * The host's own state: OK when up, CRITICAL when overdue, UNKNOWN while hbd cannot tell yet (a configured
     * host that has not reported, or any host during its first interval + grace after a restart of hbd).
     */
    static Result host(JsonNode h, Instant now) {
        String name = h.path("name").asText();
        String status = h.path("status").asText();
        List<String> perf = new ArrayList<>();
        Instant last = instant(h.path("last_seen"));
        if (last != null) {
            perf.add(perf("age", seconds(Duration.between(last, now)), "s", null, null));
        }
        if (h.path("rtt_ms").isNumber()) {
            perf.add(perf("rtt", h.path("rtt_ms").asDouble(), "ms", null, null));
        }
        perf.add(perf("interval", h.path("interval").asDouble(), "s", null, null));
        String seen = last == null ? "never" : ago(Duration.between(last, now));
        return switch (status) {
            case "up" -> new Result(OK, name + " is up, last heartbeat " + seen
                    + (h.path("rtt_ms").isNumber() ? ", RTT " + number(h.path("rtt_ms").asDouble()) + " ms" : ""), perf);
            case "overdue" -> new Result(CRITICAL, name + " is overdue since "
                    + h.path("overdue_since").asText() + ", last heartbeat " + seen + " (interval "
                    + number(h.path("interval").asDouble()) + " s, grace " + number(h.path("grace").asDouble())
                    + " s)", perf);
            case "unknown" -> new Result(UNKNOWN, name + (last == null ? " is configured and has not reported yet"
                    : " has not reported since hbd started; its last heartbeat was " + seen), perf);
            default -> unknown(name + " has status \"" + status + "\", which this hbd check does not know");
        };
    }

    /**
     * One plugin of a host. A plugin whose last report was an error is CRITICAL; one whose values are stale is
     * UNKNOWN. With a metric, that value is held against the ranges; without, the {@code nagios} plugin gives
     * the worst state of its checks and every other plugin is OK while it reports.
     */
    static Result plugin(String host, String plugin, JsonNode state, Instant now, String metric, NagiosRange warning,
            NagiosRange critical) {
        String status = state.path("status").asText();
        JsonNode values = state.path("values");
        Instant received = instant(state.path("received"));
        String age = received == null ? "never" : ago(Duration.between(received, now));
        if (status.equals("failing")) {
            return new Result(CRITICAL, plugin + " of " + host + " failed: "
                    + state.path("error").path("message").asText(), List.of());
        }
        if (!status.equals("ok") || values.isMissingNode() || values.isNull()) {
            return unknown(plugin + " of " + host + " has no recent values: last sample " + age
                    + (state.path("interval").isNumber() ? " (interval " + number(state.path("interval").asDouble())
                            + " s)" : ""));
        }
        if (metric != null) {
            return metric(host, plugin, values, metric, warning, critical);
        }
        if (values.has("worst_state") && values.path("checks").isObject()) {
            return nagios(host, plugin, values);
        }
        List<String> perf = new ArrayList<>();
        leaves("", values, perf);
        return new Result(OK, plugin + " of " + host + " reports " + perf.size() + " values, last sample " + age,
                perf);
    }

    private static Result metric(String host, String plugin, JsonNode values, String pointer, NagiosRange warning,
            NagiosRange critical) {
        JsonNode v = values.at(pointer);
        if (!v.isNumber() && !v.isBoolean()) {
            return unknown(plugin + " of " + host + " has no number at " + pointer
                    + (v.isMissingNode() ? "" : " (it holds " + v + ")"));
        }
        double d = v.isBoolean() ? (v.asBoolean() ? 1 : 0) : v.asDouble();
        int state = critical != null && critical.alerts(d) ? CRITICAL : warning != null && warning.alerts(d) ? WARNING : OK;
        String text = plugin + " of " + host + ": " + pointer + " = " + number(d)
                + (state == CRITICAL ? " (critical: " + critical + ")" : state == WARNING ? " (warning: " + warning + ")"
                        : "");
        return new Result(state, text, List.of(perf(pointer, d, "", warning, critical)));
    }

    private static Result nagios(String host, String plugin, JsonNode values) {
        int worst = values.path("worst_state").asInt(UNKNOWN);
        int[] counts = new int[4];
        List<String> problems = new ArrayList<>();
        List<String> perf = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = values.path("checks").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> check = it.next();
            int s = check.getValue().path("state").asInt(UNKNOWN);
            counts[Math.min(Math.max(s, 0), 3)]++;
            if (s != OK) {
                problems.add(check.getKey() + ": " + check.getValue().path("output").asText());
            }
            for (Iterator<Map.Entry<String, JsonNode>> p = check.getValue().path("perfdata").fields(); p.hasNext();) {
                Map.Entry<String, JsonNode> item = p.next();
                JsonNode d = item.getValue();
                if (d.path("value").isNumber()) {
                    perf.add(perfItem(check.getKey() + "/" + item.getKey(), d));
                }
            }
        }
        int total = counts[0] + counts[1] + counts[2] + counts[3];
        StringBuilder text = new StringBuilder(plugin + " of " + host + ": " + total + " checks");
        for (int s : new int[] {CRITICAL, WARNING, UNKNOWN, OK}) {
            if (counts[s] > 0) {
                text.append(", ").append(counts[s]).append(' ').append(WORDS[s]);
            }
        }
        if (!problems.isEmpty()) {
            text.append(" - ").append(String.join("; ", problems));
        }
        return new Result(Math.min(Math.max(worst, 0), 3), text.toString(), perf);
    }

    private static void leaves(String path, JsonNode node, List<String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                leaves(path + "/" + e.getKey().replace("~", "~0").replace("/", "~1"), e.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                leaves(path + "/" + i, node.get(i), out);
            }
        } else if (node.isNumber()) {
            out.add(perf(path, node.asDouble(), "", null, null));
        }
    }

    /** One perfdata item of the nagios plugin's tree, as the check reported it. */
    private static String perfItem(String label, JsonNode d) {
        return label(label) + "=" + number(d.path("value").asDouble()) + d.path("uom").asText("") + ";"
                + d.path("warn").asText("") + ";" + d.path("crit").asText("") + ";"
                + (d.path("min").isNumber() ? number(d.path("min").asDouble()) : "") + ";"
                + (d.path("max").isNumber() ? number(d.path("max").asDouble()) : "");
    }

    static String perf(String label, double value, String uom, NagiosRange warning, NagiosRange critical) {
        String item = label(label) + "=" + number(value) + uom;
        if (warning != null || critical != null) {
            item += ";" + (warning == null ? "" : warning) + ";" + (critical == null ? "" : critical);
        }
        return item;
    }

    /** A perfdata label, quoted when the guidelines require it. */
    static String label(String label) {
        if (label.matches("[A-Za-z0-9_./~-]+")) {
            return label;
        }
        return "'" + label.replace("'", "''") + "'";
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private static double seconds(Duration d) {
        return Math.max(0, d.toMillis()) / 1000.0;
    }

    private static String ago(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + " s ago";
        }
        if (s < 7200) {
            return s / 60 + " min " + s % 60 + " s ago";
        }
        return s / 3600 + " h " + s % 3600 / 60 + " min ago";
    }

    private static Instant instant(JsonNode n) {
        return n.isTextual() ? Instant.parse(n.asText()) : null;
    }
}
