package org.heartbeat.plugin.nagios.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.heartbeat.api.MetricPath;
import org.heartbeat.api.MetricSource;
import org.heartbeat.api.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NagiosPluginTest {
    @TempDir
    Path dir;

    private Map<String, Object> properties(Object... keysAndValues) {
        Map<String, Object> p = new HashMap<>(Map.of(MetricSource.INTERVAL, 60.0, MetricSource.TIMEOUT, 30.0,
                "plugin_path", new String[] {dir.toString()}, "component.id", 3L));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    @Test
    void collectsTheChecksOfItsConfiguration() throws Exception {
        Scripts.write(dir, "check_fine", "echo \"FINE - $1 | 'the value'=$2;5;10;0;100\"");
        Scripts.write(dir, "check_warn", "printf 'WARN - %s\\nmore\\n' \"$*\"\nexit 1");
        NagiosPlugin plugin = new NagiosPlugin(properties(
                "checks.fine", "check_fine 'all good' 3",
                "checks.warn.command", "check_warn -x \"a b\"",
                "checks.warn.interval", 300,
                "checks.typo", "check_fine `id`"));
        try {
            long before = System.currentTimeMillis();
            Metrics m = plugin.collect();
            assertThat(m.get(MetricPath.of("worst_state"))).contains(3L);
            assertThat(m.get(MetricPath.of("worst_status"))).contains("UNKNOWN");
            assertThat(m.get(MetricPath.parse("/checks/fine/output"))).contains("FINE - all good");
            assertThat(m.get(MetricPath.parse("/checks/fine/perfdata/the value"))).contains(Map.of("value", 3.0,
                    "warn", "5", "crit", "10", "min", 0.0, "max", 100.0));
            assertThat(m.get(MetricPath.parse("/checks/fine/state"))).contains(0L);
            assertThat((Long) m.get(MetricPath.parse("/checks/fine/checked")).orElseThrow())
                    .isBetween(before, System.currentTimeMillis());
            assertThat(m.get(MetricPath.parse("/checks/fine/duration_ms"))).containsInstanceOf(Long.class);
            assertThat(m.get(MetricPath.parse("/checks/warn/status"))).contains("WARNING");
            assertThat(m.get(MetricPath.parse("/checks/warn/output"))).contains("WARN - -x a b");
            assertThat(m.get(MetricPath.parse("/checks/warn/long_output"))).contains("more");
            assertThat(m.get(MetricPath.parse("/checks/typo/output")).orElseThrow().toString())
                    .startsWith("invalid check configuration: the command uses a command substitution ('`')");
        } finally {
            plugin.deactivate();
        }
    }

    @Test
    void withoutChecksEveryCollectionFails() {
        NagiosPlugin plugin = new NagiosPlugin(properties());
        assertThatThrownBy(plugin::collect).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no checks configured");
        plugin.deactivate();
    }

    @Test
    void deactivationKillsTheRunningChecks() throws Exception {
        Path pid = dir.resolve("pid");
        Scripts.write(dir, "check_hang", Scripts.writePid("$$", pid) + "\nsleep 300");
        NagiosPlugin plugin = new NagiosPlugin(properties("checks.hang", "check_hang"));
        CompletableFuture<Object> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                return plugin.collect();
            } catch (Exception e) {
                return e;
            }
        });
        long check = Scripts.awaitPid(pid);
        plugin.deactivate();
        Scripts.awaitDead(check);
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThatThrownBy(plugin::collect).isInstanceOf(IllegalStateException.class);
    }
}
