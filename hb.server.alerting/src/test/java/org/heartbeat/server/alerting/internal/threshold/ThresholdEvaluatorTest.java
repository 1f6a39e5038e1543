package org.heartbeat.server.alerting.internal.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.heartbeat.server.alerting.internal.threshold.Level.CRITICAL;
import static org.heartbeat.server.alerting.internal.threshold.Level.OK;
import static org.heartbeat.server.alerting.internal.threshold.Level.UNKNOWN;
import static org.heartbeat.server.alerting.internal.threshold.Level.WARNING;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.heartbeat.api.MetricPath;
import org.heartbeat.api.Metrics;
import org.heartbeat.config.ServerConfig;
import org.heartbeat.config.ThresholdsConfig;
import org.heartbeat.server.alerting.internal.threshold.ThresholdChange.Cause;
import org.heartbeat.server.api.alert.Alert;
import org.heartbeat.server.api.plugin.PluginSample;
import org.junit.jupiter.api.Test;

class ThresholdEvaluatorTest {
    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final MetricPath CPU = MetricPath.parse("/cpu_percent");

    /** Step 7 of the tutorial, as printed. */
    private static final String TUTORIAL = """
            thresholds:
              cpu_monitor:
                cpu_percent:
                  warning: 80.0
                  critical: 90.0
              disk_monitor:
                partitions:
                  /:
                    percent:
                      warning: 80.0
                      critical: 90.0
            """;

    private ThresholdEvaluator evaluator;

    private static ServerConfig config(String yaml) {
        try {
            return ServerConfig.parse(yaml);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ThresholdEvaluator evaluator(String yaml) {
        ServerConfig c = config(yaml);
        return new ThresholdEvaluator(c.thresholds(), perHost(c));
    }

    private static Map<String, ThresholdsConfig> perHost(ServerConfig c) {
        Map<String, ThresholdsConfig> out = new LinkedHashMap<>();
        c.hosts().forEach((name, h) -> out.put(name, h.thresholds()));
        return out;
    }

    private List<ThresholdChange> cpu(String host, double percent, Instant at) {
        return evaluator.evaluate(sample(host, "cpu_monitor", at, b -> b.put("cpu_percent", percent).put("cores", 2)));
    }

    private static PluginSample sample(String host, String plugin, Instant at, Consumer<Metrics.Builder> fill) {
        Metrics.Builder b = Metrics.builder();
        fill.accept(b);
        return new PluginSample(host, plugin, at.minusMillis(3), at, MINUTE, b.build());
    }

    private static Consumer<Metrics.Builder> partitions(double root, double data) {
        return b -> b.map("partitions", p -> p
                .map("/", r -> r.put("percent", root).put("free", 40_000_000_000L))
                .map("/data", d -> d.put("percent", data).put("free", 1_500_000_000L))
                .map("/boot", d -> d.put("percent", 96.0)));
    }

    @Test
    void anUpperThresholdWarnsEscalatesAndRecoversOnlyPastItsMargin() {
        evaluator = evaluator(TUTORIAL);
        assertThat(cpu("web1", 79.9, T0)).isEmpty();

        List<ThresholdChange> warn = cpu("web1", 85.25, T0.plus(MINUTE));
        assertThat(warn).singleElement().satisfies(c -> {
            assertThat(c.host()).isEqualTo("web1");
            assertThat(c.kind()).isEqualTo(Alert.Kind.THRESHOLD);
            assertThat(c.path()).isEqualTo(CPU);
            assertThat(c.from()).isEqualTo(OK);
            assertThat(c.to()).isEqualTo(WARNING);
            assertThat(c.value()).isEqualTo(85.25);
            assertThat(c.threshold()).isEqualTo(80.0);
            assertThat(c.since()).isEqualTo(T0.plus(MINUTE));
            assertThat(c.subject()).isEqualTo("cpu_monitor /cpu_percent");
            assertThat(c.message()).isEqualTo("cpu_monitor /cpu_percent is WARNING: 85.25, at or above 80");
        });
        assertThat(cpu("web1", 88, T0.plus(MINUTE.multipliedBy(2)))).as("still WARNING: no change").isEmpty();
        assertThat(cpu("web1", 90, T0.plus(MINUTE.multipliedBy(3)))).singleElement()
                .satisfies(c -> assertThat(c.message())
                        .isEqualTo("cpu_monitor /cpu_percent is CRITICAL: 90, at or above 90 (was WARNING)"));
        assertThat(cpu("web1", 85.6, T0.plus(MINUTE.multipliedBy(4))))
                .as("below 90 but not past the default margin, 5% of 90 = 4.5").isEmpty();
        assertThat(cpu("web1", 85.4, T0.plus(MINUTE.multipliedBy(5)))).singleElement().satisfies(c -> {
            assertThat(c.from()).isEqualTo(CRITICAL);
            assertThat(c.to()).isEqualTo(WARNING);
            assertThat(c.threshold()).isEqualTo(80.0);
        });
        assertThat(cpu("web1", 76.1, T0.plus(MINUTE.multipliedBy(6)))).as("80 - 4 = 76 not yet passed").isEmpty();
        assertThat(cpu("web1", 75.9, T0.plus(MINUTE.multipliedBy(7)))).singleElement().satisfies(c -> {
            assertThat(c.recovered()).isTrue();
            assertThat(c.from()).isEqualTo(WARNING);
            assertThat(c.message()).isEqualTo("cpu_monitor /cpu_percent recovered: 75.9 (was WARNING, threshold 80)");
        });
        assertThat(evaluator.levels("web1")).isEmpty();
    }

    @Test
    void aValueThatJumpsStraightToCriticalAndBackRecoversAtOnce() {
        evaluator = evaluator(TUTORIAL);
        assertThat(cpu("web1", 99, T0)).extracting(ThresholdChange::from, ThresholdChange::to)
                .containsExactly(tuple(OK, CRITICAL));
        assertThat(cpu("web1", 10, T0.plus(MINUTE))).extracting(ThresholdChange::from, ThresholdChange::to)
                .containsExactly(tuple(CRITICAL, OK));
    }

    @Test
    void lowerIsWorseWhenWarningIsAboveCritical() {
        evaluator = evaluator("""
                thresholds:
                  disk_monitor:
                    partitions:
                      "*":
                        free:
                          warning: 10e9
                          critical: 2e9
                          hysteresis: 1e9
                """);
        Instant t = T0;
        List<ThresholdChange> warn = evaluator.evaluate(sample("nas", "disk_monitor", t,
                b -> b.map("partitions", p -> p.map("/", r -> r.put("free", 9e9)))));
        assertThat(warn).singleElement().satisfies(c -> {
            assertThat(c.to()).isEqualTo(WARNING);
            assertThat(c.lowerIsWorse()).isTrue();
            assertThat(c.path()).isEqualTo(MetricPath.parse("/partitions/~1/free"));
            assertThat(c.message()).isEqualTo("disk_monitor /partitions/~1/free is WARNING: 9000000000, at or below"
                    + " 10000000000");
        });
        assertThat(free(1.5e9, t = t.plus(MINUTE))).extracting(ThresholdChange::to).containsExactly(CRITICAL);
        assertThat(free(2.9e9, t = t.plus(MINUTE))).as("2e9 + 1e9 not passed").isEmpty();
        assertThat(free(3.1e9, t = t.plus(MINUTE))).extracting(ThresholdChange::to).containsExactly(WARNING);
        assertThat(free(10.5e9, t = t.plus(MINUTE))).isEmpty();
        assertThat(free(11.1e9, t.plus(MINUTE))).extracting(ThresholdChange::to).containsExactly(OK);
    }

    private List<ThresholdChange> free(double bytes, Instant at) {
        return evaluator.evaluate(sample("nas", "disk_monitor", at,
                b -> b.map("partitions", p -> p.map("/", r -> r.put("free", bytes)))));
    }

    @Test
    void aWildcardMatchesEveryPartitionAndAnExactKeyWinsOverIt() {
        evaluator = evaluator("""
                thresholds:
                  disk_monitor:
                    partitions:
                      "*":
                        percent: {warning: 80, critical: 90}
                      /boot:
                        percent: {critical: 99}
                """);
        List<ThresholdChange> changes = evaluator.evaluate(sample("web1", "disk_monitor", T0, partitions(85, 95)));
        assertThat(changes).extracting(c -> c.path().toString(), ThresholdChange::to).containsExactlyInAnyOrder(
                tuple("/partitions/~1/percent", WARNING),
                tuple("/partitions/~1data/percent", CRITICAL));
        assertThat(evaluator.levels("web1")).extracting(s -> s.path().toString(), ThresholdState::level,
                ThresholdState::threshold).containsExactlyInAnyOrder(
                        tuple("/partitions/~1/percent", WARNING, 80.0),
                        tuple("/partitions/~1data/percent", CRITICAL, 90.0));
    }

    @Test
    void aWildcardMatchesEveryInterfaceAndABooleanCountsAsOneOrZero() {
        evaluator = evaluator("""
                thresholds:
                  network_monitor:
                    interfaces:
                      "*":
                        up: {critical: 0, lower_is_worse: true}
                        errors_in_per_s: {warning: 1}
                """);
        List<ThresholdChange> changes = evaluator.evaluate(sample("gw", "network_monitor", T0,
                b -> b.map("interfaces", i -> i
                        .map("eth0", e -> e.put("up", true).put("errors_in_per_s", 0.0))
                        .map("eth0.100", e -> e.put("up", false).put("errors_in_per_s", 3.5)))));
        assertThat(changes).extracting(c -> c.path().toString(), ThresholdChange::to, ThresholdChange::value)
                .containsExactly(
                        tuple("/interfaces/eth0.100/up", CRITICAL, 0.0),
                        tuple("/interfaces/eth0.100/errors_in_per_s", WARNING, 3.5));
    }

    @Test
    void aHostsOwnRuleReplacesTheTopLevelOneAndMayDisableIt() {
        evaluator = evaluator(TUTORIAL + """
                hosts:
                  db1:
                    thresholds:
                      cpu_monitor:
                        cpu_percent: {warning: 95}
                      disk_monitor:
                        partitions:
                          "*":
                            percent: {disabled: true}
                """);
        assertThat(cpu("web1", 92, T0)).extracting(ThresholdChange::to).containsExactly(CRITICAL);
        assertThat(cpu("db1", 92, T0)).as("db1 warns at 95 and has no critical").isEmpty();
        assertThat(cpu("db1", 100, T0.plus(MINUTE))).extracting(ThresholdChange::to, ThresholdChange::threshold)
                .containsExactly(tuple(WARNING, 95.0));
        assertThat(evaluator.evaluate(sample("db1", "disk_monitor", T0, partitions(99, 99)))).isEmpty();
        assertThat(evaluator.evaluate(sample("web1", "disk_monitor", T0, partitions(99, 99))))
                .extracting(c -> c.path().toString()).containsExactly("/partitions/~1/percent");
    }

    @Test
    void withForASpikePagesNobody() {
        evaluator = evaluator(TUTORIAL.replace("critical: 90.0\n  disk", "critical: 90.0\n      for: 5m\n  disk"));
        assertThat(cpu("web1", 97, T0)).isEmpty();
        assertThat(evaluator.nextDue()).as("one sample counts for two intervals, not for the 5 minutes").isEmpty();
        assertThat(cpu("web1", 40, T0.plus(MINUTE))).as("back below: the spike is over").isEmpty();
        assertThat(evaluator.nextDue()).isEmpty();
        assertThat(evaluator.tick(T0.plusSeconds(300))).isEmpty();
        assertThat(cpu("web1", 40, T0.plusSeconds(360))).isEmpty();
        assertThat(evaluator.levels("web1")).isEmpty();
    }

    @Test
    void withForAValueThatStaysPagesWhenTheDurationRunsOut() {
        evaluator = evaluator(TUTORIAL.replace("critical: 90.0\n  disk", "critical: 90.0\n      for: 5m\n  disk"));
        assertThat(cpu("web1", 85, T0)).isEmpty();
        assertThat(cpu("web1", 95, T0.plus(MINUTE))).isEmpty();
        for (int m = 2; m <= 4; m++) {
            assertThat(cpu("web1", 96, T0.plus(MINUTE.multipliedBy(m)))).isEmpty();
        }
        assertThat(evaluator.nextDue()).contains(T0.plusSeconds(300));
        assertThat(evaluator.tick(T0.plusSeconds(300).minusMillis(1))).isEmpty();
        assertThat(evaluator.tick(T0.plusSeconds(300))).singleElement().satisfies(c -> {
            assertThat(c.to()).isEqualTo(WARNING);
            assertThat(c.since()).as("when it first crossed").isEqualTo(T0);
            assertThat(c.value()).isEqualTo(96.0);
        });
        assertThat(evaluator.tick(T0.plusSeconds(301))).as("once").isEmpty();
        assertThat(evaluator.nextDue()).contains(T0.plusSeconds(360));
        assertThat(cpu("web1", 96, T0.plusSeconds(359))).isEmpty();
        assertThat(evaluator.tick(T0.plusSeconds(360))).singleElement().satisfies(c -> {
            assertThat(c.from()).isEqualTo(WARNING);
            assertThat(c.to()).isEqualTo(CRITICAL);
            assertThat(c.since()).isEqualTo(T0.plus(MINUTE));
        });
        assertThat(cpu("web1", 50, T0.plusSeconds(420))).as("recovery does not wait")
                .extracting(ThresholdChange::to).containsExactly(OK);
    }

    @Test
    void withForASilentHostIsNotPagedForItsLastValue() {
        evaluator = evaluator(TUTORIAL.replace("critical: 90.0\n  disk", "critical: 90.0\n      for: 5m\n  disk"));
        cpu("web1", 95, T0);
        cpu("web1", 95, T0.plus(MINUTE));
        assertThat(evaluator.nextDue()).as("the last sample counts for two intervals only").isEmpty();
        assertThat(evaluator.tick(T0.plusSeconds(300))).isEmpty();
        assertThat(cpu("web1", 95, T0.plusSeconds(600))).as("after the gap the duration starts again").isEmpty();
        assertThat(evaluator.nextDue()).isEmpty();
        for (int s = 660; s < 900; s += 60) {
            assertThat(cpu("web1", 95, T0.plusSeconds(s))).isEmpty();
        }
        assertThat(cpu("web1", 95, T0.plusSeconds(900))).extracting(ThresholdChange::to, ThresholdChange::since)
                .containsExactly(tuple(CRITICAL, T0.plusSeconds(600)));
    }

    private List<ThresholdChange> nagios(Instant at, int load, Integer backup) {
        return evaluator.evaluate(sample("web1", "nagios", at, b -> b
                .put("worst_state", Math.max(load, backup == null ? 0 : backup))
                .map("checks", c -> {
                    c.map("load", l -> l.put("state", load).put("status", "x")
                            .put("output", "LOAD STATE " + load + " - load average: 12.10")
                            .map("perfdata", p -> p.map("load1", v -> v.put("value", 12.1))));
                    if (backup != null) {
                        c.map("backup", l -> l.put("state", backup).put("output", "backup age"));
                    }
                })));
    }

    @Test
    void nagiosStatesAlertWithoutAnyRule() {
        evaluator = evaluator("");
        assertThat(nagios(T0, 0, 0)).isEmpty();
        assertThat(nagios(T0.plus(MINUTE), 1, 3)).extracting(ThresholdChange::subject, ThresholdChange::to)
                .containsExactly(tuple("load", WARNING),
                        tuple("backup", UNKNOWN));
        List<ThresholdChange> critical = nagios(T0.plus(MINUTE.multipliedBy(2)), 2, 3);
        assertThat(critical).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Alert.Kind.NAGIOS);
            assertThat(c.path()).isEqualTo(MetricPath.parse("/checks/load/state"));
            assertThat(c.from()).isEqualTo(WARNING);
            assertThat(c.to()).isEqualTo(CRITICAL);
            assertThat(c.threshold()).isNull();
            assertThat(c.message()).isEqualTo("Nagios check load is CRITICAL: LOAD STATE 2 - load average: 12.10");
        });
        assertThat(nagios(T0.plus(MINUTE.multipliedBy(3)), 0, 3)).singleElement()
                .satisfies(c -> assertThat(c.message()).isEqualTo("Nagios check load recovered: LOAD STATE 0 - load"
                        + " average: 12.10"));
        assertThat(evaluator.levels("web1")).extracting(ThresholdState::level).containsExactly(UNKNOWN);
    }

    @Test
    void aNagiosCheckCanBeSwitchedOffOrGivenThresholdsOnItsPerfdata() {
        evaluator = evaluator("""
                thresholds:
                  nagios:
                    checks:
                      backup:
                        state: {disabled: true}
                      load:
                        perfdata:
                          load1:
                            value: {warning: 10, critical: 20}
                """);
        assertThat(nagios(T0, 1, 2)).extracting(c -> c.path().toString(), ThresholdChange::kind, ThresholdChange::to)
                .containsExactlyInAnyOrder(
                        tuple("/checks/load/perfdata/load1/value",
                                Alert.Kind.THRESHOLD, WARNING),
                        tuple("/checks/load/state", Alert.Kind.NAGIOS, WARNING));
    }

    @Test
    void aValueMissingFromThreeSamplesInARowRecoversAsNoLongerReported() {
        evaluator = evaluator(TUTORIAL);
        cpu("web1", 95, T0);
        PluginSample without = sample("web1", "cpu_monitor", T0.plus(MINUTE), b -> b.put("cores", 2));
        assertThat(evaluator.evaluate(without)).isEmpty();
        assertThat(evaluator.evaluate(sample("web1", "disk_monitor", T0.plus(MINUTE), partitions(1, 1))))
                .as("another plugin's samples do not count").isEmpty();
        assertThat(evaluator.evaluate(without)).isEmpty();
        assertThat(cpu("web1", 95, T0.plus(MINUTE.multipliedBy(2)))).as("back: still the same alert").isEmpty();
        assertThat(evaluator.evaluate(without)).isEmpty();
        assertThat(evaluator.evaluate(without)).isEmpty();
        assertThat(evaluator.evaluate(without)).singleElement().satisfies(c -> {
            assertThat(c.cause()).isEqualTo(Cause.GONE);
            assertThat(c.to()).isEqualTo(OK);
            assertThat(c.value()).isNull();
            assertThat(c.message()).isEqualTo("cpu_monitor /cpu_percent is no longer reported (was CRITICAL)");
        });
        assertThat(evaluator.levels("web1")).isEmpty();
    }

    @Test
    void reloadKeepsTheStateOfRulesThatStayAndClosesThoseThatWentQuietly() {
        String withFor = TUTORIAL.replace("critical: 90.0\n  disk", "critical: 90.0\n      for: 2m\n  disk");
        evaluator = evaluator(withFor);
        assertThat(evaluator.evaluate(sample("web1", "disk_monitor", T0, partitions(85, 1))))
                .extracting(ThresholdChange::to).containsExactly(WARNING);
        assertThat(cpu("web1", 95, T0)).isEmpty();

        ServerConfig same = config(withFor);
        assertThat(evaluator.reconfigure(same.thresholds(), perHost(same), T0.plusSeconds(30))).isEmpty();
        assertThat(evaluator.evaluate(sample("web1", "disk_monitor", T0.plus(MINUTE), partitions(85, 1))))
                .as("no second WARNING after a reload").isEmpty();
        assertThat(cpu("web1", 95, T0.plus(MINUTE))).isEmpty();
        assertThat(evaluator.tick(T0.plusSeconds(120))).as("the for: under way went on")
                .extracting(ThresholdChange::to).containsExactly(CRITICAL);

        ServerConfig cpuOnly = config(withFor.substring(0, withFor.indexOf("  disk_monitor")));
        List<ThresholdChange> closed = evaluator.reconfigure(cpuOnly.thresholds(), perHost(cpuOnly),
                T0.plusSeconds(150));
        assertThat(closed).singleElement().satisfies(c -> {
            assertThat(c.cause()).isEqualTo(Cause.UNCONFIGURED);
            assertThat(c.path().toString()).isEqualTo("/partitions/~1/percent");
            assertThat(c.from()).isEqualTo(WARNING);
            assertThat(c.to()).isEqualTo(OK);
            assertThat(c.since()).isEqualTo(T0.plusSeconds(150));
        });
        assertThat(evaluator.levels("web1")).extracting(ThresholdState::path).containsExactly(CPU);

        ServerConfig higher = config("""
                thresholds:
                  cpu_monitor:
                    cpu_percent: {warning: 97, critical: 99}
                """);
        assertThat(evaluator.reconfigure(higher.thresholds(), perHost(higher), T0.plusSeconds(160))).isEmpty();
        assertThat(cpu("web1", 90, T0.plusSeconds(180))).as("the changed rule applies from the next sample")
                .extracting(ThresholdChange::from, ThresholdChange::to, ThresholdChange::threshold)
                .containsExactly(tuple(CRITICAL, OK, 99.0));
    }

    @Test
    void forgetDropsAHostWithoutChanges() {
        evaluator = evaluator(TUTORIAL);
        cpu("web1", 95, T0);
        cpu("web2", 95, T0);
        evaluator.forget("web1");
        assertThat(evaluator.levels("web1")).isEmpty();
        assertThat(evaluator.levels("web2")).hasSize(1);
        assertThat(cpu("web1", 95, T0.plus(MINUTE))).as("a new alert for a host that comes back")
                .extracting(ThresholdChange::to).containsExactly(CRITICAL);
    }

    @Test
    void valuesThatAreNotNumbersAreNotCompared() {
        evaluator = evaluator("""
                thresholds:
                  nagios:
                    checks:
                      "*":
                        output: {warning: 1}
                """);
        assertThat(nagios(T0, 0, null)).isEmpty();
    }
}
