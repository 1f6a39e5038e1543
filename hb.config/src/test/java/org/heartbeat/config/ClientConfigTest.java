package org.heartbeat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

class ClientConfigTest {
    @Test
    void theTutorialsClientFileIsReadVerbatim() throws Exception {
        ClientConfig c = ClientConfig.parse("""
                hb_port: 50003
                interval: 10 # Send a heartbeat every 10 seconds
                plugins:
                  cpu_monitor:
                    interval: 60
                  memory_monitor:
                    interval: 60
                  disk_monitor:
                    interval: 60
                """);
        assertThat(c.hbPort()).isEqualTo(50003);
        assertThat(c.interval()).isEqualTo(10);
        assertThat(c.plugins()).containsOnlyKeys("cpu_monitor", "memory_monitor", "disk_monitor");
        PluginSettings cpu = c.plugins().get("cpu_monitor");
        assertThat(cpu.interval()).isEqualTo(OptionalDouble.of(60));
        assertThat(cpu.timeout()).as("not given: the client's scheduler applies its default").isEmpty();
        assertThat(cpu.settings()).isEmpty();
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void defaultsNeedNoFile() {
        ClientConfig d = ClientConfig.defaults();
        assertThat(d.hbPort()).isEqualTo(50003);
        assertThat(d.interval()).isEqualTo(20);
        assertThat(d.plugins()).isEmpty();
        assertThat(d.servers()).isEmpty();
    }

    @Test
    void pluginSettingsBeyondIntervalAndTimeoutBelongToThePlugin() throws Exception {
        ClientConfig c = ClientConfig.parse("""
                servers: [a.example.com, b.example.com]
                plugins:
                  nagios:
                    interval: 30
                    timeout: 5
                    checks:
                      load: "check_load -w 5 -c 10"
                """);
        assertThat(c.servers()).containsExactly("a.example.com", "b.example.com");
        PluginSettings nagios = c.plugins().get("nagios");
        assertThat(nagios.interval()).isEqualTo(OptionalDouble.of(30));
        assertThat(nagios.timeout()).isEqualTo(OptionalDouble.of(5));
        assertThat(nagios.settings()).isEqualTo(Map.of("checks", Map.of("load", "check_load -w 5 -c 10")));
    }

    @Test
    void aPluginWithoutIntervalOrTimeoutLeavesBothToTheScheduler() throws Exception {
        ClientConfig c = ClientConfig.parse("""
                plugins:
                  memory_monitor: {}
                  disk_monitor:
                    interval: 2m
                    timeout: 500ms
                """);
        assertThat(c.plugins().get("memory_monitor").interval()).isEmpty();
        assertThat(c.plugins().get("memory_monitor").timeout()).isEmpty();
        assertThat(c.plugins().get("disk_monitor").interval()).isEqualTo(OptionalDouble.of(120));
        assertThat(c.plugins().get("disk_monitor").timeout()).isEqualTo(OptionalDouble.of(0.5));
    }

    @Test
    void aPluginTimeoutOutOfRangeIsAMistake() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ClientConfig.parse("""
                plugins:
                  cpu_monitor:
                    timeout: 0.01
                """));
        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly("plugins.cpu_monitor.timeout");
    }

    @Test
    void mistakesAreNamed() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ClientConfig.parse("""
                interval: often
                name: "my host"
                plugins:
                  "cpu monitor": {}
                """));
        assertThat(e.problems()).extracting(ConfigProblem::key)
                .isEqualTo(List.of("interval", "name", "plugins.cpu monitor"));
        assertThat(e.problems().get(0).toString()).isEqualTo("interval: expected a number of seconds, got \"often\" (line 1)");
    }
}
