package com.example.uptime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.heartbeat.api.MetricPath;
import org.heartbeat.api.Metrics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

// A plugin is a plain class: tests build it with new, no framework needed.
class UptimeMonitorTest {
    @TempDir
    Path proc;

    @BeforeEach
    void fakeProc() throws IOException {
        Files.writeString(proc.resolve("uptime"), "1000.00 1500.00\n");
        Files.writeString(proc.resolve("stat"), """
                cpu  100 0 200 3000 0 0 0 0 0 0
                cpu0 50 0 100 1500 0 0 0 0 0 0
                cpu1 50 0 100 1500 0 0 0 0 0 0
                intr 12345
                btime 1795654666
                processes 4242
                """);
    }

    @Test
    void reportsUptimeAndBootTime() throws IOException {
        Metrics m = new UptimeMonitor(proc, false).collect();

        assertThat(m.asMap()).containsExactly(entry("uptime_seconds", 1000.0), entry("boot_time", 1795654666L));
    }

    @Test
    void reportIdleAddsTheIdleShareOfAllCpus() throws IOException {
        Metrics m = new UptimeMonitor(proc, true).collect();

        // 1500 idle CPU seconds of 2 CPUs in 1000 s
        assertThat(m.number(MetricPath.of("idle_percent"))).contains(75.0);
    }

    @Test
    void withoutProcItSaysWhatIsMissing(@TempDir Path empty) {
        assertThatThrownBy(() -> new UptimeMonitor(empty, false).collect())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("uptime_monitor reads " + empty.resolve("uptime"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void readsThisMachine() throws IOException {
        double before = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);

        Metrics m = new UptimeMonitor(Path.of("/proc"), true).collect();

        assertThat(m.number(MetricPath.of("uptime_seconds"))).hasValueSatisfying(up -> assertThat(up)
                .isGreaterThanOrEqualTo(before).isLessThan(before + 60));
        assertThat(m.number(MetricPath.of("boot_time"))).hasValueSatisfying(boot -> assertThat(boot)
                .isCloseTo(System.currentTimeMillis() / 1000.0 - before, within(5.0)));
        assertThat(m.number(MetricPath.of("idle_percent"))).hasValueSatisfying(idle -> assertThat(idle)
                .isBetween(0.0, 100.0));
    }
}
