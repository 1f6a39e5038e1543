package org.heartbeat.plugin.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.heartbeat.api.MetricPath;
import org.heartbeat.api.Metrics;
import org.junit.jupiter.api.Test;

class MemoryMonitorTest {

    @Test
    void anUnknownSettingFailsEveryCollectionNamingIt() {
        MemoryMonitor monitor = new MemoryMonitor(() -> new MemoryReading(100, 50, 0, 0),
                Map.of("interval", 60.0, "timeout", 30.0, "unit", "MB"));

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(monitor::collect).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unknown setting \"unit\": memory_monitor has no settings");
        }
    }

    @Test
    void nothingMeasurableIsAnError() {
        MemoryMonitor monitor = new MemoryMonitor(() -> new MemoryReading(-1, -1, -1, -1), Map.of());

        assertThatThrownBy(monitor::collect).isInstanceOf(IllegalStateException.class)
                .hasMessage("no memory figures on this system");
    }

    @Test
    void onThisMachineTheFiguresAreThoseOfTheKernel() throws IOException {
        assumeThat(Path.of("/proc/meminfo")).exists();
        Map<String, Long> before = meminfo();

        Metrics m = new MemoryMonitor(new HashMap<>()).collect();

        Map<String, Long> after = meminfo();
        long total = before.get("MemTotal");
        assertThat(m.asMap()).containsEntry("total", total);
        long available = (Long) m.asMap().get("available");
        // other processes allocate meanwhile: within 5 % of what the kernel said just before or after
        long low = Math.min(before.get("MemAvailable"), after.get("MemAvailable")) - total / 20;
        long high = Math.max(before.get("MemAvailable"), after.get("MemAvailable")) + total / 20;
        assertThat(available).isBetween(low, high);
        assertThat(m.asMap()).containsEntry("used", total - available);
        assertThat(m.number(MetricPath.of("percent"))).hasValue(100.0 * (total - available) / total);
        long swapTotal = before.get("SwapTotal");
        assertThat(m.get(MetricPath.of("swap", "total"))).hasValue(swapTotal);
        assertThat(m.get(MetricPath.of("swap", "percent")).isPresent()).as("swap percent").isEqualTo(swapTotal > 0);
        long swapUsed = (Long) m.get(MetricPath.of("swap", "used")).orElseThrow();
        assertThat(m.get(MetricPath.of("swap", "free"))).hasValue(swapTotal - swapUsed);
    }

    /** The fields of /proc/meminfo, in bytes. */
    private static Map<String, Long> meminfo() throws IOException {
        Map<String, Long> out = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            String[] f = line.replace(":", " ").trim().split("\\s+");
            if (f.length >= 2 && f[1].matches("\\d+")) {
                out.put(f[0], Long.parseLong(f[1]) * (f.length > 2 && f[2].equals("kB") ? 1024 : 1));
            }
        }
        return out;
    }
}
