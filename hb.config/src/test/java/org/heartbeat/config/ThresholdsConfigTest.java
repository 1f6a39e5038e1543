package org.heartbeat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

import org.junit.jupiter.api.Test;

class ThresholdsConfigTest {
    /** Step 7 of the tutorial, as printed. */
    static final String TUTORIAL = """
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

    @Test
    void theTutorialsBlockGivesTwoRules() throws Exception {
        ServerConfig c = ServerConfig.parse(TUTORIAL);
        assertThat(c.warnings()).isEmpty();
        assertThat(c.thresholds().plugins()).containsOnlyKeys("cpu_monitor", "disk_monitor");
        ThresholdRule cpu = c.thresholds().rules("cpu_monitor").get(0);
        assertThat(cpu.path()).containsExactly("cpu_percent");
        assertThat(cpu.warning()).isEqualTo(80.0);
        assertThat(cpu.critical()).isEqualTo(90.0);
        assertThat(cpu.lowerIsWorse()).isFalse();
        assertThat(cpu.forSeconds()).isZero();
        assertThat(cpu.margin(80)).isEqualTo(4.0);
        ThresholdRule disk = c.thresholds().rules("disk_monitor").get(0);
        assertThat(disk.path()).containsExactly("partitions", "/", "percent");
        assertThat(disk.pointer()).isEqualTo("/partitions/~1/percent");
        assertThat(disk.toString()).isEqualTo("disk_monitor /partitions/~1/percent warning 80 critical 90 hysteresis 5%");
    }

    @Test
    void everyKeyOfARuleIsRead() throws Exception {
        ServerConfig c = ServerConfig.parse("""
                thresholds:
                  disk_monitor:
                    partitions:
                      "*":
                        free:
                          warning: 10e9
                          critical: 2_000_000_000
                          for: 5m
                          hysteresis: 1e9
                  memory_monitor:
                    available:
                      critical: 500000000
                      lower_is_worse: true
                      hysteresis: 10%
                """);
        ThresholdRule free = c.thresholds().rules("disk_monitor").get(0);
        assertThat(free.path()).containsExactly("partitions", "*", "free");
        assertThat(free.hasWildcard()).isTrue();
        assertThat(free.lowerIsWorse()).as("warning above critical says lower is worse").isTrue();
        assertThat(free.forSeconds()).isEqualTo(300);
        assertThat(free.margin(2e9)).isEqualTo(1e9);
        ThresholdRule available = c.thresholds().rules("memory_monitor").get(0);
        assertThat(available.warning()).isNull();
        assertThat(available.lowerIsWorse()).isTrue();
        assertThat(available.margin(500_000_000)).isEqualTo(50_000_000);
    }

    @Test
    void aJsonPointerKeyIsAWholePathAndTheMostSpecificRuleComesFirst() throws Exception {
        ServerConfig c = ServerConfig.parse("""
                thresholds:
                  disk_monitor:
                    partitions:
                      "*":
                        percent: {warning: 80, critical: 90}
                    "/partitions/~1boot/percent": {critical: 98}
                  network_monitor:
                    interfaces:
                      "*":
                        errors_in_per_s: {warning: 1}
                      eth0.100:
                        errors_in_per_s: {warning: 5}
                """);
        assertThat(c.warnings()).isEmpty();
        assertThat(c.thresholds().rules("disk_monitor")).extracting(ThresholdRule::pointer)
                .containsExactly("/partitions/~1boot/percent", "/partitions/*/percent");
        assertThat(c.thresholds().rules("network_monitor")).extracting(r -> r.path().get(1))
                .as("an interface name with a dot is one key").containsExactly("eth0.100", "*");
        ThresholdRule any = c.thresholds().rules("disk_monitor").get(1);
        assertThat(any.matches(List.of("partitions", "/srv/a.b", "percent"))).isTrue();
        assertThat(any.matches(List.of("partitions", "/", "free"))).isFalse();
        assertThat(any.matches(List.of("partitions", "percent"))).isFalse();
    }

    @Test
    void hostsOverrideAndDisable() throws Exception {
        ServerConfig c = ServerConfig.parse(TUTORIAL + """
                hosts:
                  db1:
                    thresholds:
                      cpu_monitor:
                        cpu_percent: {warning: 95, critical: 99, for: 10m}
                      disk_monitor:
                        partitions:
                          /:
                            percent: {disabled: true}
                """);
        ThresholdsConfig db1 = c.hosts().get("db1").thresholds();
        assertThat(db1.rules("cpu_monitor").get(0).warning()).isEqualTo(95.0);
        assertThat(db1.rules("cpu_monitor").get(0).forSeconds()).isEqualTo(600);
        assertThat(db1.rules("disk_monitor").get(0).disabled()).isTrue();
        assertThat(c.thresholds().rules("cpu_monitor").get(0).warning()).as("the top level is unchanged")
                .isEqualTo(80.0);
    }

    @Test
    void everyMistakeIsNamedWithKeyAndLine() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ServerConfig.parse("""
                thresholds:
                  cpu_monitor:
                    cpu_percent:
                      warning: high
                      critical: 90
                    load_1:
                      for: 5m
                    load_5:
                      warning: 4
                      critcal: 8
                    load_15: 3
                  disk_monitor:
                    partitions:
                      /:
                        percent: {warning: 80, critical: 90, for: -5m}
                        free: {warning: 1, critical: 5, lower_is_worse: true}
                        used: {warning: 1, hysteresis: 150%}
                    "/partitions/~1/percent": {warning: 85}
                    "/partitions/~2": {warning: 1}
                  "*":
                    x: {warning: 1}
                """));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "thresholds.cpu_monitor.cpu_percent.warning: expected a number, got \"high\" (line 4)",
                "thresholds.cpu_monitor.load_1: a threshold needs warning or critical, or disabled: true (line 7)",
                "thresholds.cpu_monitor.load_5.critcal: not a threshold key: expected warning, critical, for,"
                        + " hysteresis, lower_is_worse or disabled (line 10)",
                "thresholds.cpu_monitor.load_15: expected a metric name with more keys below it, or a threshold with"
                        + " warning and/or critical (line 11)",
                "thresholds.disk_monitor.partitions./.percent.for: expected a number of seconds, got \"-5m\" (line 15)",
                "thresholds.disk_monitor.partitions./.free.lower_is_worse: lower is worse, so warning must be above"
                        + " critical (line 16)",
                "thresholds.disk_monitor.partitions./.used.hysteresis: expected a margin of 0 or more in the metric's"
                        + " unit (5) or a percentage of each threshold up to 100 (5%), got \"150%\" (line 17)",
                "thresholds.disk_monitor./partitions/~1/percent: the same metric as the threshold on line 15 (line 18)",
                "thresholds.disk_monitor./partitions/~2: not a JSON Pointer: '~' must be followed by 0 (for ~) or 1"
                        + " (for /) (line 19)",
                "thresholds.*: name a plugin, such as cpu_monitor; \"*\" stands for a key inside its values (line 21)");
    }

    @Test
    void aDottedKeyIsOneNameAndEarnsAHint() throws Exception {
        ServerConfig c = ServerConfig.parse("""
                thresholds:
                  disk_monitor:
                    partitions./.percent: {warning: 80}
                """);
        assertThat(c.thresholds().rules("disk_monitor").get(0).path()).containsExactly("partitions./.percent");
        assertThat(c.warnings()).extracting(ConfigProblem::toString).containsExactly(
                "thresholds.disk_monitor.partitions./.percent: one metric name with a dot in it; for a path write"
                        + " nested keys (partitions:, then /:, then percent:) or a JSON Pointer key such as"
                        + " \"/partitions/~1/percent\" (line 3)");
    }

    @Test
    void noBlockIsNone() throws Exception {
        assertThat(ServerConfig.parse("interval: 20").thresholds()).isEqualTo(ThresholdsConfig.NONE);
        assertThat(ServerConfig.parse("interval: 20").thresholds().isEmpty()).isTrue();
    }

    @Test
    void aRuleRefusesContradictions() {
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> new ThresholdRule("cpu_monitor",
                List.of("cpu_percent"), 90.0, 80.0, false, 0, 0, false, false)))
                .hasMessage("higher is worse, so warning must be below critical");
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> new ThresholdRule("cpu_monitor",
                List.of("cpu_percent"), null, null, false, 0, 0, false, false)))
                .hasMessage("a threshold needs warning or critical");
    }
}
