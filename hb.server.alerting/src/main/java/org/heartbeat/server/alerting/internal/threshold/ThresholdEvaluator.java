package org.heartbeat.server.alerting.internal.threshold;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

import org.heartbeat.api.MetricPath;
import org.heartbeat.config.ThresholdRule;
import org.heartbeat.config.ThresholdsConfig;
import org.heartbeat.server.alerting.internal.threshold.ThresholdChange.Cause;
import org.heartbeat.server.api.alert.Alert;
import org.heartbeat.server.api.plugin.PluginSample;

/**
 * Turns plugin samples into threshold changes: which values of which host went from OK to WARNING, from WARNING to
 * CRITICAL, back, or recovered, by the rules of {@code thresholds:} (docs/THRESHOLD_ALERTING.md), and the states
 * of Nagios checks, which alert without any rule.
 *
 * <pre>{@code
 * ThresholdEvaluator e = new ThresholdEvaluator(config.thresholds(), perHost(config));
 * List<ThresholdChange> changes = e.evaluate(sample);   // for each PluginSample, in the order received
 * changes = e.tick(clock.instant());                   // when nextDue() comes, for for: durations
 * }</pre>
 *
 * <h2>How it decides</h2>
 * <ul>
 * <li>The rule that applies to a value is the first that matches it among the host's own rules, then the top-level
 * ones, each most specific first; a disabled rule matches and alerts on nothing. Values of the {@code nagios}
 * plugin at {@code /checks/NAME/state} that no rule matches follow the check's state: 0 OK, 1 WARNING,
 * 2 CRITICAL, anything else UNKNOWN.</li>
 * <li>A value alerts when it reaches a threshold ({@code >=}, or {@code <=} when lower is worse), once it has stayed
 * there for the rule's {@code for:}, measured with the server's receive times. {@link #tick(Instant)} escalates
 * when that time comes between samples, provided the latest sample is at most two of the plugin's intervals
 * old.</li>
 * <li>It leaves a level only when it is past that level's threshold by the rule's hysteresis margin, at once.</li>
 * <li>A value that was not OK and is missing from {@value #MISSING_SAMPLES} samples of its plugin in a row
 * recovers with {@link Cause#GONE}. While no sample of the plugin arrives at all (the host is down), nothing
 * changes.</li>
 * </ul>
 *
 * <p>State is kept only for values that are not OK or are waiting out a {@code for:}: a host whose values are all
 * fine costs nothing here.
 *
 * <p>Not thread-safe: the alerting engine calls every method from its one thread. Nothing here blocks or throws for
 * a sample's contents: values that are not numbers (or booleans, counted as 1 and 0) are not compared.
 */
public final class ThresholdEvaluator {
    /** Samples in a row without a value that was not OK, after which it recovers as no longer reported. */
    public static final int MISSING_SAMPLES = 3;
    /** The plugin whose check states alert without a rule. */
    public static final String NAGIOS = "nagios";

    private static final List<String> NAGIOS_STATE = List.of("checks", ThresholdRule.ANY, "state");

    private ThresholdsConfig global;
    private Map<String, ThresholdsConfig> perHost;
    private final Map<String, Map<Key, Tracked>> hosts = new HashMap<>();

    /**
     * @param global the top-level {@code thresholds:}
     * @param perHost each host's own {@code thresholds:}, by host name; hosts without any may be left out
     */
    public ThresholdEvaluator(ThresholdsConfig global, Map<String, ThresholdsConfig> perHost) {
        this.global = global;
        this.perHost = Map.copyOf(perHost);
    }

    /**
     * Compares every value of a sample that a rule matches (and every Nagios check state) with its thresholds.
     *
     * @return the values whose level changed, in the order of the rules; empty when none did
     */
    public List<ThresholdChange> evaluate(PluginSample sample) {
        String plugin = sample.plugin();
        Map<Key, Tracked> states = hosts.get(sample.host());
        List<ThresholdRule> rules = rules(sample.host(), plugin);
        boolean nagios = plugin.equals(NAGIOS);
        if (rules.isEmpty() && !nagios && states == null) {
            return List.of();
        }
        Map<MetricPath, ThresholdRule> claimed = new LinkedHashMap<>();
        Map<MetricPath, Object> values = new HashMap<>();
        for (ThresholdRule rule : rules) {
            match(sample.values().asMap(), rule.path(), 0, MetricPath.ROOT, (path, value) -> {
                if (!claimed.containsKey(path)) {
                    claimed.put(path, rule);
                    values.put(path, value);
                }
            });
        }
        if (nagios) {
            match(sample.values().asMap(), NAGIOS_STATE, 0, MetricPath.ROOT, (path, value) -> {
                if (!claimed.containsKey(path)) {
                    claimed.put(path, null);
                    values.put(path, value);
                }
            });
        }
        long now = sample.received().toEpochMilli();
        long interval = sample.interval().map(d -> d.toMillis()).orElse(0L);
        List<ThresholdChange> changes = new ArrayList<>();
        Set<Key> seen = new HashSet<>();
        for (Map.Entry<MetricPath, ThresholdRule> e : claimed.entrySet()) {
            ThresholdRule rule = e.getValue();
            Double v = number(values.get(e.getKey()));
            if (v == null || rule != null && rule.disabled()) {
                continue;
            }
            Key key = new Key(plugin, e.getKey());
            seen.add(key);
            Tracked t = states == null ? null : states.get(key);
            if (t == null) {
                if (rule == null ? nagiosLevel(v) == Level.OK : !past(rule, Level.WARNING, v)
                        && !past(rule, Level.CRITICAL, v)) {
                    continue;
                }
                t = new Tracked();
                if (states == null) {
                    states = new HashMap<>();
                    hosts.put(sample.host(), states);
                }
                states.put(key, t);
            }
            t.rule = rule;
            ThresholdChange c = rule == null
                    ? nagios(sample, key, t, v, now, interval)
                    : threshold(sample.host(), key, t, v, now, interval);
            if (c != null) {
                changes.add(c);
            }
            if (t.level == Level.OK && t.warnSince < 0 && t.critSince < 0) {
                states.remove(key);
            }
        }
        if (states != null) {
            missing(sample.host(), plugin, states, seen, now, changes);
            if (states.isEmpty()) {
                hosts.remove(sample.host());
            }
        }
        return changes;
    }

    /**
     * Escalates the values whose {@code for:} ran out since their latest sample, when that sample is at most two of
     * its plugin's intervals old (a plugin that announces no interval waits for its next sample).
     *
     * @param now the server's time, on the clock that stamped the samples' receive times
     * @return the escalations; empty when none is due
     */
    public List<ThresholdChange> tick(Instant now) {
        long ms = now.toEpochMilli();
        List<ThresholdChange> changes = new ArrayList<>();
        for (Map.Entry<String, Map<Key, Tracked>> h : hosts.entrySet()) {
            for (Map.Entry<Key, Tracked> e : h.getValue().entrySet()) {
                Tracked t = e.getValue();
                if (t.rule == null || !fresh(t, ms)) {
                    continue;
                }
                Level due = due(t, ms);
                if (due.ordinal() > t.level.ordinal() && t.level != Level.UNKNOWN) {
                    changes.add(escalate(h.getKey(), e.getKey(), t, due, t.value));
                }
            }
        }
        return changes;
    }

    /**
     * When {@link #tick(Instant)} next has something to do, if ever: the earliest moment a waiting value's
     * {@code for:} runs out while its latest sample still counts.
     */
    public Optional<Instant> nextDue() {
        long best = Long.MAX_VALUE;
        for (Map<Key, Tracked> states : hosts.values()) {
            for (Tracked t : states.values()) {
                if (t.rule == null || t.interval <= 0) {
                    continue;
                }
                long forMs = forMillis(t.rule);
                for (Level l : new Level[] {Level.WARNING, Level.CRITICAL}) {
                    long since = l == Level.WARNING ? t.warnSince : t.critSince;
                    long due = since + forMs;
                    if (since >= 0 && l.ordinal() > t.level.ordinal() && due <= t.lastSeen + 2 * t.interval) {
                        best = Math.min(best, due);
                    }
                }
            }
        }
        return best == Long.MAX_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(best));
    }

    /**
     * Applies new rules ({@code hbd reload}). Values whose rule is unchanged keep their level and any
     * {@code for:} under way. A value whose rule changed keeps its level until its next sample, which is then
     * compared with the new rule. A value that no rule matches any more, or that a disabled rule now matches,
     * recovers with {@link Cause#UNCONFIGURED}: close its alert without notifying.
     *
     * @param now the server's time, the {@code since} of those recoveries
     * @return the recoveries of values whose rule is gone
     */
    public List<ThresholdChange> reconfigure(ThresholdsConfig global, Map<String, ThresholdsConfig> perHost,
            Instant now) {
        this.global = global;
        this.perHost = Map.copyOf(perHost);
        List<ThresholdChange> changes = new ArrayList<>();
        for (Iterator<Map.Entry<String, Map<Key, Tracked>>> hi = hosts.entrySet().iterator(); hi.hasNext();) {
            Map.Entry<String, Map<Key, Tracked>> h = hi.next();
            for (Iterator<Map.Entry<Key, Tracked>> si = h.getValue().entrySet().iterator(); si.hasNext();) {
                Map.Entry<Key, Tracked> e = si.next();
                Key key = e.getKey();
                Tracked t = e.getValue();
                ThresholdRule rule = rule(h.getKey(), key.plugin(), key.path().segments());
                boolean builtIn = rule == null && key.plugin().equals(NAGIOS) && matches(NAGIOS_STATE, key.path());
                if (rule != null && !rule.disabled() || builtIn) {
                    t.rule = rule;
                    continue;
                }
                if (t.level != Level.OK) {
                    changes.add(new ThresholdChange(h.getKey(), key.plugin(), key.path(), kind(t), t.level, Level.OK,
                            null, null, t.rule != null && t.rule.lowerIsWorse(), now, Cause.UNCONFIGURED, null));
                }
                si.remove();
            }
            if (h.getValue().isEmpty()) {
                hi.remove();
            }
        }
        return changes;
    }

    /** Drops everything known of a host, without changes: the server forgot it. */
    public void forget(String host) {
        hosts.remove(host);
    }

    /** The values of a host that are not OK now, for the API; empty when all are. */
    public List<ThresholdState> levels(String host) {
        List<ThresholdState> out = new ArrayList<>();
        hosts.getOrDefault(host, Map.of()).forEach((key, t) -> {
            if (t.level != Level.OK) {
                out.add(new ThresholdState(key.plugin(), key.path(), kind(t), t.level, t.value,
                        t.rule == null ? null : threshold(t.rule, t.level), Instant.ofEpochMilli(t.since)));
            }
        });
        return out;
    }

    private ThresholdChange threshold(String host, Key key, Tracked t, double v, long now, long interval) {
        ThresholdRule rule = t.rule;
        if (t.interval > 0 && now - t.lastSeen > 2 * t.interval) {
            // samples went missing: the value may have been back in between
            t.warnSince = -1;
            t.critSince = -1;
        }
        t.seen(v, now, interval);
        t.warnSince = past(rule, Level.WARNING, v) ? (t.warnSince < 0 ? now : t.warnSince) : -1;
        t.critSince = past(rule, Level.CRITICAL, v) ? (t.critSince < 0 ? now : t.critSince) : -1;
        Level held = held(rule, t.level, v);
        Level due = due(t, now);
        Level next = due.ordinal() > held.ordinal() ? due : held;
        if (next == t.level) {
            return null;
        }
        if (next.ordinal() > t.level.ordinal() && t.level != Level.UNKNOWN) {
            return escalate(host, key, t, next, v);
        }
        Level from = t.level;
        Double crossed = next == Level.OK ? threshold(rule, from) : threshold(rule, next);
        t.level = next;
        t.since = now;
        return new ThresholdChange(host, key.plugin(), key.path(), Alert.Kind.THRESHOLD, from, next, v, crossed,
                rule.lowerIsWorse(), Instant.ofEpochMilli(now), Cause.VALUE, null);
    }

    private static ThresholdChange escalate(String host, Key key, Tracked t, Level to, double v) {
        Level from = t.level;
        t.level = to;
        t.since = to == Level.CRITICAL ? t.critSince : t.warnSince;
        return new ThresholdChange(host, key.plugin(), key.path(), Alert.Kind.THRESHOLD, from, to, v,
                threshold(t.rule, to), t.rule.lowerIsWorse(), Instant.ofEpochMilli(t.since), Cause.VALUE, null);
    }

    private static ThresholdChange nagios(PluginSample sample, Key key, Tracked t, double v, long now,
            long interval) {
        t.seen(v, now, interval);
        t.warnSince = -1;
        t.critSince = -1;
        Level next = nagiosLevel(v);
        if (next == t.level) {
            return null;
        }
        Level from = t.level;
        t.level = next;
        t.since = now;
        List<String> check = key.path().segments().subList(0, 2);
        String output = sample.values().get(MetricPath.of(check.get(0), check.get(1), "output"))
                .filter(String.class::isInstance).map(String.class::cast).orElse(null);
        return new ThresholdChange(sample.host(), key.plugin(), key.path(), Alert.Kind.NAGIOS, from, next, v, null,
                false, Instant.ofEpochMilli(now), Cause.VALUE, output);
    }

    private static void missing(String host, String plugin, Map<Key, Tracked> states, Set<Key> seen, long now,
            List<ThresholdChange> changes) {
        for (Iterator<Map.Entry<Key, Tracked>> i = states.entrySet().iterator(); i.hasNext();) {
            Map.Entry<Key, Tracked> e = i.next();
            Key key = e.getKey();
            Tracked t = e.getValue();
            if (!key.plugin().equals(plugin) || seen.contains(key)) {
                continue;
            }
            t.warnSince = -1;
            t.critSince = -1;
            if (t.level == Level.OK) {
                i.remove();
            } else if (++t.missing >= MISSING_SAMPLES) {
                changes.add(new ThresholdChange(host, plugin, key.path(), kind(t), t.level, Level.OK, null, null,
                        t.rule != null && t.rule.lowerIsWorse(), Instant.ofEpochMilli(now), Cause.GONE, null));
                i.remove();
            }
        }
    }

    private List<ThresholdRule> rules(String host, String plugin) {
        ThresholdsConfig own = perHost.get(host);
        List<ThresholdRule> first = own == null ? List.of() : own.rules(plugin);
        List<ThresholdRule> then = global.rules(plugin);
        if (first.isEmpty()) {
            return then;
        }
        if (then.isEmpty()) {
            return first;
        }
        List<ThresholdRule> all = new ArrayList<>(first);
        all.addAll(then);
        return all;
    }

    private ThresholdRule rule(String host, String plugin, List<String> segments) {
        for (ThresholdRule r : rules(host, plugin)) {
            if (r.matches(segments)) {
                return r;
            }
        }
        return null;
    }

    /** Calls {@code out} with every scalar of the tree whose keys match {@code pattern} from {@code i} on. */
    private static void match(Object node, List<String> pattern, int i, MetricPath at,
            BiConsumer<MetricPath, Object> out) {
        if (i == pattern.size()) {
            if (!(node instanceof Map<?, ?>) && !(node instanceof List<?>)) {
                out.accept(at, node);
            }
            return;
        }
        String segment = pattern.get(i);
        boolean any = segment.equals(ThresholdRule.ANY);
        if (node instanceof Map<?, ?> map) {
            if (any) {
                map.forEach((k, v) -> match(v, pattern, i + 1, at.child((String) k), out));
            } else if (map.get(segment) != null) {
                match(map.get(segment), pattern, i + 1, at.child(segment), out);
            }
        } else if (node instanceof List<?> list) {
            for (int n = 0; n < list.size(); n++) {
                if (any || segment.equals(Integer.toString(n))) {
                    match(list.get(n), pattern, i + 1, at.child(Integer.toString(n)), out);
                }
            }
        }
    }

    private static boolean matches(List<String> pattern, MetricPath path) {
        List<String> s = path.segments();
        if (s.size() != pattern.size()) {
            return false;
        }
        for (int i = 0; i < s.size(); i++) {
            if (!pattern.get(i).equals(ThresholdRule.ANY) && !pattern.get(i).equals(s.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static Double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        return null;
    }

    private static Level nagiosLevel(double state) {
        if (state == 0) {
            return Level.OK;
        }
        if (state == 1) {
            return Level.WARNING;
        }
        return state == 2 ? Level.CRITICAL : Level.UNKNOWN;
    }

    private static Double threshold(ThresholdRule rule, Level level) {
        return switch (level) {
            case WARNING -> rule.warning();
            case CRITICAL -> rule.critical();
            default -> null;
        };
    }

    /** Whether {@code v} reaches the threshold of {@code level}. */
    private static boolean past(ThresholdRule rule, Level level, double v) {
        Double th = threshold(rule, level);
        return th != null && (rule.lowerIsWorse() ? v <= th : v >= th);
    }

    /** The highest level at or below {@code current} that {@code v} has not yet left by the hysteresis margin. */
    private static Level held(ThresholdRule rule, Level current, double v) {
        for (Level l = current; l == Level.CRITICAL || l == Level.WARNING;
                l = l == Level.CRITICAL ? Level.WARNING : Level.OK) {
            Double th = threshold(rule, l);
            if (th != null && (rule.lowerIsWorse() ? v <= th + rule.margin(th) : v >= th - rule.margin(th))) {
                return l;
            }
        }
        return Level.OK;
    }

    /** The highest level whose threshold the value has stayed at or past for the rule's {@code for:}. */
    private static Level due(Tracked t, long now) {
        long forMs = forMillis(t.rule);
        if (t.critSince >= 0 && now - t.critSince >= forMs) {
            return Level.CRITICAL;
        }
        return t.warnSince >= 0 && now - t.warnSince >= forMs ? Level.WARNING : Level.OK;
    }

    private static long forMillis(ThresholdRule rule) {
        return Math.round(rule.forSeconds() * 1000);
    }

    private static boolean fresh(Tracked t, long now) {
        return t.interval > 0 && now - t.lastSeen <= 2 * t.interval;
    }

    private static Alert.Kind kind(Tracked t) {
        return t.rule == null ? Alert.Kind.NAGIOS : Alert.Kind.THRESHOLD;
    }

    private record Key(String plugin, MetricPath path) {
    }

    /** What is known of one value that is not OK or is waiting out a {@code for:}; times in epoch milliseconds. */
    private static final class Tracked {
        ThresholdRule rule; // null: the built-in rule of Nagios check states
        Level level = Level.OK;
        long since;
        long warnSince = -1;
        long critSince = -1;
        long lastSeen;
        long interval;
        double value;
        int missing;

        void seen(double v, long now, long sampleInterval) {
            value = v;
            lastSeen = now;
            interval = sampleInterval;
            missing = 0;
        }
    }
}
