package org.heartbeat.plugin.nagios.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.heartbeat.api.MetricPath;
import org.heartbeat.api.Metrics;
import org.junit.jupiter.api.Test;

class NagiosTreeTest {
    private static CheckSpec spec(String name) {
        return new CheckSpec(name, List.of("c"), 60_000, 10_000, null);
    }

    private static CheckResult result(State state) {
        return new CheckResult(state, PluginOutput.of(state + " - text"), 1_718_000_000_000L, 12);
    }

    @Test
    void theTreeOfOneCheck() {
        PluginOutput out = PluginOutput.parse("DISK WARNING - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968"
                + " 'a b'=U;~:5;@10:20 c=1\n/ 15272 MB (77%);\n/boot 68 MB (69%);");
        Metrics m = NagiosTree.build(List.of(spec("disk_root")),
                Map.of("disk_root", new CheckResult(State.WARNING, out, 1_718_000_000_000L, 42)));
        assertThat(m.asMap()).isEqualTo(Map.of(
                "worst_state", 1L,
                "worst_status", "WARNING",
                "checks", Map.of("disk_root", Map.of(
                        "state", 1L,
                        "status", "WARNING",
                        "output", "DISK WARNING - free space: / 3326 MB (56%);",
                        "long_output", "/ 15272 MB (77%);\n/boot 68 MB (69%);",
                        "perfdata", Map.of(
                                "/", Map.of("value", 2643.0, "uom", "MB", "warn", "5948", "crit", "5958", "min", 0.0,
                                        "max", 5968.0),
                                "a b", Map.of("warn", "~:5", "crit", "@10:20"),
                                "c", Map.of("value", 1.0)),
                        "duration_ms", 42L,
                        "checked", 1_718_000_000_000L))));
        assertThat(m.number(MetricPath.parse("/checks/disk_root/perfdata/~1/value"))).contains(2643.0);
    }

    @Test
    void keysInTheOrderOfTheApi() {
        Metrics m = NagiosTree.build(List.of(spec("b"), spec("a")), Map.of("a", result(State.OK), "b",
                result(State.OK)));
        assertThat(m.asMap().keySet()).containsExactly("worst_state", "worst_status", "checks");
        Map<?, ?> checks = (Map<?, ?>) m.asMap().get("checks");
        assertThat(List.<Object>copyOf(checks.keySet())).containsExactly("b", "a");
        assertThat(List.<Object>copyOf(((Map<?, ?>) checks.get("a")).keySet()))
                .containsExactly("state", "status", "output", "duration_ms", "checked");
    }

    @Test
    void aCheckThatDidNotRunHasNoTimes() {
        Metrics m = NagiosTree.build(List.of(spec("x")), Map.of("x", CheckResult.notRun("invalid check configuration:"
                + " no command")));
        assertThat(m.get(MetricPath.parse("/checks/x"))).contains(Map.of("state", 3L, "status", "UNKNOWN", "output",
                "invalid check configuration: no command"));
    }

    @Test
    void theWorstStateRanksUnknownBetweenWarningAndCritical() {
        assertThat(worst(State.OK, State.OK)).isEqualTo(State.OK);
        assertThat(worst(State.OK, State.WARNING)).isEqualTo(State.WARNING);
        assertThat(worst(State.WARNING, State.UNKNOWN, State.OK)).isEqualTo(State.UNKNOWN);
        assertThat(worst(State.UNKNOWN, State.CRITICAL, State.WARNING)).isEqualTo(State.CRITICAL);
        assertThat(worst(State.CRITICAL, State.UNKNOWN)).isEqualTo(State.CRITICAL);
    }

    private static State worst(State... states) {
        List<CheckSpec> specs = new java.util.ArrayList<>();
        Map<String, CheckResult> results = new java.util.HashMap<>();
        for (int i = 0; i < states.length; i++) {
            specs.add(spec("c" + i));
            results.put("c" + i, result(states[i]));
        }
        Metrics m = NagiosTree.build(specs, results);
        State worst = State.valueOf((String) m.get(MetricPath.of("worst_status")).orElseThrow());
        assertThat(m.number(MetricPath.of("worst_state"))).contains((double) worst.code());
        return worst;
    }

    @Test
    void checksWithoutAResultAreLeftOut() {
        Metrics m = NagiosTree.build(List.of(spec("a"), spec("b")), Map.of("b", result(State.CRITICAL), "zzz",
                result(State.WARNING)));
        assertThat(m.get(MetricPath.parse("/checks/a"))).isEmpty();
        assertThat(m.get(MetricPath.parse("/worst_status"))).contains("CRITICAL");
        assertThat(NagiosTree.build(List.of(spec("a")), Map.of())).isEqualTo(Metrics.EMPTY);
    }
}
