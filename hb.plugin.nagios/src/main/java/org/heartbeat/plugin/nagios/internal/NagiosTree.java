package org.heartbeat.plugin.nagios.internal;

import java.util.List;
import java.util.Map;

import org.heartbeat.api.Metrics;

/**
 * The values of the {@code nagios} plugin: the latest result of every check, and the worst of their states.
 *
 * <pre>{@code
 * {worst_state=1, worst_status=WARNING,
 *  checks={load={state=1, status=WARNING, output=LOAD WARNING - total load average: 5.21, 4.10, 3.02,
 *                perfdata={load1={value=5.21, warn=5.000, crit=10.000, min=0.0}, ...},
 *                duration_ms=12, checked=1718000000000}}}
 * }</pre>
 *
 * Per check: {@code state} (0 to 3), {@code status} (its word), {@code output} (the first line without
 * performance data), {@code long_output} (the further lines, only when there are some), {@code perfdata} (by
 * label: {@code value}, {@code uom}, {@code warn}, {@code crit}, {@code min}, {@code max}, each left out when
 * the check gave none), {@code duration_ms} and {@code checked} (epoch milliseconds when it started; both left
 * out for a check that could not run because its configuration is wrong). {@code worst_state} and
 * {@code worst_status} are those of the worst check in the order OK &lt; WARNING &lt; UNKNOWN &lt; CRITICAL
 * ({@link State}). These names are read by {@code hbd check --plugin nagios}: they are an API.
 */
final class NagiosTree {
    private NagiosTree() {
    }

    /** The values of the {@code checks}' {@code results}, in the checks' order; checks without one are left out. */
    static Metrics build(List<CheckSpec> checks, Map<String, CheckResult> results) {
        State worst = null;
        for (CheckSpec c : checks) {
            CheckResult r = results.get(c.name());
            if (r != null) {
                worst = worst == null ? r.state() : worst.worse(r.state());
            }
        }
        Metrics.Builder b = Metrics.builder();
        if (worst != null) {
            b.put("worst_state", worst.code()).put("worst_status", worst.name());
        }
        return b.map("checks", all -> {
            for (CheckSpec c : checks) {
                CheckResult r = results.get(c.name());
                if (r != null) {
                    all.map(c.name(), one -> check(one, r));
                }
            }
        }).build();
    }

    private static void check(Metrics.Builder b, CheckResult r) {
        b.put("state", r.state().code()).put("status", r.state().name()).put("output", r.output().text());
        if (!r.output().longText().isEmpty()) {
            b.put("long_output", r.output().longText());
        }
        b.map("perfdata", all -> {
            for (PerfData p : r.output().perfdata()) {
                all.map(p.label(), one -> perfdata(one, p));
            }
        });
        if (r.ran()) {
            b.put("duration_ms", r.durationMillis()).put("checked", r.checkedMillis());
        }
    }

    private static void perfdata(Metrics.Builder b, PerfData p) {
        if (p.value() != null) {
            b.put("value", p.value());
        }
        if (!p.uom().isEmpty()) {
            b.put("uom", p.uom());
        }
        if (!p.warn().isEmpty()) {
            b.put("warn", p.warn());
        }
        if (!p.crit().isEmpty()) {
            b.put("crit", p.crit());
        }
        if (p.min() != null) {
            b.put("min", p.min());
        }
        if (p.max() != null) {
            b.put("max", p.max());
        }
    }
}
