package org.heartbeat.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@code thresholds:} block, at the top level or under one host of {@code hosts:}: the rules by plugin, each
 * plugin's most specific first ({@link ThresholdRule#MOST_SPECIFIC_FIRST}). docs/THRESHOLD_ALERTING.md names
 * every key.
 *
 * <p>The block maps plugin names to nested metric keys, down to a mapping that holds {@code warning} and/or
 * {@code critical}:
 *
 * <pre>{@code
 * thresholds:
 *   cpu_monitor:
 *     cpu_percent:
 *       warning: 80.0
 *       critical: 90.0
 *   disk_monitor:
 *     partitions:
 *       /:
 *         percent:
 *           warning: 80.0
 *           critical: 90.0
 * }</pre>
 *
 * A mapping is a rule when it holds at least one of the rule keys ({@code warning}, {@code critical},
 * {@code for}, {@code hysteresis}, {@code lower_is_worse}, {@code disabled}); then every key of it must be one,
 * since a misspelt key would silently change when something alerts. Any other mapping is one more level of the
 * metric path, each key a metric name, mount point, interface or list index as the plugin sends it, or
 * {@value ThresholdRule#ANY} for any one of them. Directly under a plugin, a key that starts with {@code /} is a
 * whole path written as a JSON Pointer ({@code "/partitions/~1/percent"}), the form the history and the API use.
 *
 * @param plugins the rules by plugin name, in file order; each list most specific first
 */
public record ThresholdsConfig(Map<String, List<ThresholdRule>> plugins) {
    public static final ThresholdsConfig NONE = new ThresholdsConfig(Map.of());

    private static final Set<String> RULE_KEYS = Set.of("warning", "critical", "for", "hysteresis", "lower_is_worse",
            "disabled");
    private static final String EXPECTED = "expected warning, critical, for, hysteresis, lower_is_worse or disabled";
    private static final Pattern NUMBER = Pattern.compile("(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final double MAX_FOR = 7 * 86_400;

    public ThresholdsConfig {
        Map<String, List<ThresholdRule>> copy = new LinkedHashMap<>();
        plugins.forEach((plugin, rules) -> {
            List<ThresholdRule> sorted = new ArrayList<>(rules);
            sorted.sort(ThresholdRule.MOST_SPECIFIC_FIRST);
            copy.put(plugin, List.copyOf(sorted));
        });
        plugins = Collections.unmodifiableMap(copy);
    }

    /** The rules of these, grouped by plugin. */
    public static ThresholdsConfig of(List<ThresholdRule> rules) {
        Map<String, List<ThresholdRule>> byPlugin = new LinkedHashMap<>();
        for (ThresholdRule r : rules) {
            byPlugin.computeIfAbsent(r.plugin(), p -> new ArrayList<>()).add(r);
        }
        return new ThresholdsConfig(byPlugin);
    }

    /** The rules of one plugin, most specific first; empty when it has none. */
    public List<ThresholdRule> rules(String plugin) {
        return plugins.getOrDefault(plugin, List.of());
    }

    /** Every rule, plugin by plugin. */
    public List<ThresholdRule> rules() {
        return plugins.values().stream().flatMap(List::stream).toList();
    }

    public boolean isEmpty() {
        return plugins.isEmpty();
    }

    static ThresholdsConfig from(Section parent, String key) {
        if (!parent.has(key)) {
            parent.accept(key);
            return NONE;
        }
        Section block = parent.section(key);
        Map<List<String>, ThresholdRule> rules = new LinkedHashMap<>();
        Map<List<String>, Integer> lines = new LinkedHashMap<>();
        for (String plugin : block.keys()) {
            if (plugin.equals(ThresholdRule.ANY)) {
                block.error(plugin, "name a plugin, such as cpu_monitor; \"*\" stands for a key inside its values");
                block.accept(plugin);
                continue;
            }
            if (!block.holdsMapping(plugin)) {
                block.error(plugin, "expected the plugin's metric names, each with its thresholds");
                block.accept(plugin);
                continue;
            }
            Section p = block.section(plugin);
            if (p.keys().isEmpty()) {
                block.warning(plugin, "no thresholds set for this plugin");
            }
            for (String k : p.keys()) {
                List<String> path = List.of(k);
                if (k.startsWith("/")) {
                    path = pointer(k);
                    if (path == null) {
                        p.error(k, "not a JSON Pointer: '~' must be followed by 0 (for ~) or 1 (for /)");
                        p.accept(k);
                        continue;
                    }
                } else if (k.indexOf('.') >= 0) {
                    p.warning(k, "one metric name with a dot in it; for a path write nested keys (partitions:,"
                            + " then /:, then percent:) or a JSON Pointer key such as \"/partitions/~1/percent\"");
                }
                walk(p, k, plugin, path, rules, lines);
            }
        }
        Map<String, List<ThresholdRule>> byPlugin = new LinkedHashMap<>();
        for (ThresholdRule r : rules.values()) {
            byPlugin.computeIfAbsent(r.plugin(), x -> new ArrayList<>()).add(r);
        }
        return new ThresholdsConfig(byPlugin);
    }

    private static void walk(Section parent, String key, String plugin, List<String> path,
            Map<List<String>, ThresholdRule> rules, Map<List<String>, Integer> lines) {
        if (!parent.holdsMapping(key)) {
            parent.error(key, "expected a metric name with more keys below it, or a threshold with warning and/or"
                    + " critical");
            parent.accept(key);
            return;
        }
        Section s = parent.section(key);
        if (s.keys().stream().anyMatch(RULE_KEYS::contains)) {
            ThresholdRule rule = rule(parent, key, s, plugin, path);
            List<String> id = new ArrayList<>(path);
            id.add(0, plugin);
            Integer earlier = lines.putIfAbsent(id, s.line());
            if (earlier != null) {
                parent.error(key, "the same metric as the threshold on line " + earlier);
            } else if (rule != null) {
                rules.put(id, rule);
            }
            return;
        }
        if (s.keys().isEmpty()) {
            parent.warning(key, "empty: no threshold set here");
        }
        for (String child : s.keys()) {
            List<String> longer = new ArrayList<>(path);
            longer.add(child);
            walk(s, child, plugin, List.copyOf(longer), rules, lines);
        }
    }

    private static ThresholdRule rule(Section parent, String key, Section s, String plugin, List<String> path) {
        for (String k : s.keys()) {
            if (!RULE_KEYS.contains(k)) {
                s.error(k, "not a threshold key: " + EXPECTED);
                s.accept(k);
            }
        }
        boolean disabled = s.bool("disabled", false);
        Double warning = s.number("warning");
        Double critical = s.number("critical");
        double forSeconds = s.seconds("for", 0, 0, MAX_FOR);
        Boolean lowerIsWorse = s.has("lower_is_worse") ? s.bool("lower_is_worse", false) : null;
        double hysteresis = ThresholdRule.DEFAULT_HYSTERESIS_PERCENT;
        boolean percent = true;
        String h = s.string("hysteresis", null);
        if (h != null) {
            String text = h.strip();
            percent = text.endsWith("%");
            String number = (percent ? text.substring(0, text.length() - 1) : text).strip().replace("_", "");
            if (!NUMBER.matcher(number).matches() || percent && Double.parseDouble(number) > 100) {
                s.error("hysteresis", "expected a margin of 0 or more in the metric's unit (5) or a percentage of"
                        + " each threshold up to 100 (5%), got \"" + h + "\"");
                return null;
            }
            hysteresis = Double.parseDouble(number);
        }
        if (disabled) {
            return ThresholdRule.disabled(plugin, path);
        }
        if (!s.has("warning") && !s.has("critical")) {
            parent.error(key, "a threshold needs warning or critical, or disabled: true");
            return null;
        }
        if (s.has("warning") && warning == null || s.has("critical") && critical == null) {
            return null; // already reported
        }
        boolean inferred = warning != null && critical != null && warning > critical;
        if (lowerIsWorse != null && warning != null && critical != null && !warning.equals(critical)
                && lowerIsWorse != inferred) {
            s.error("lower_is_worse", lowerIsWorse ? "lower is worse, so warning must be above critical"
                    : "warning is above critical, which means lower is worse; leave lower_is_worse out");
            return null;
        }
        return new ThresholdRule(plugin, path, warning, critical, lowerIsWorse != null ? lowerIsWorse : inferred,
                forSeconds, hysteresis, percent, false);
    }

    /** The keys of a JSON Pointer, or null when it has a {@code ~} not followed by 0 or 1. */
    static List<String> pointer(String text) {
        List<String> out = new ArrayList<>();
        for (String raw : text.substring(1).split("/", -1)) {
            if (raw.replace("~0", "").replace("~1", "").indexOf('~') >= 0) {
                return null;
            }
            out.add(raw.replace("~1", "/").replace("~0", "~"));
        }
        return List.copyOf(out);
    }
}
