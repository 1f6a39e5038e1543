package org.heartbeat.plugin.cpu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.heartbeat.api.MetricPath;
import org.heartbeat.api.Metrics;
import org.heartbeat.plugin.cpu.internal.CpuSample.Ticks;
import org.heartbeat.plugin.support.ComponentConfig;
import org.heartbeat.plugin.support.FakeClock;
import org.junit.jupiter.api.Test;

class CpuMonitorTest {
    private static final long MS = 1_000_000L;

    private final FakeClock clock = new FakeClock();
    /** Each sample is 10 % busier than the last, 1000 ticks later. */
    private final AtomicInteger samples = new AtomicInteger();
    private final CpuSource source = new CpuSource() {
        @Override
        public CpuSample sample() {
            int n = samples.getAndIncrement();
            Ticks t = new Ticks(100L * n, 1000L * n);
            return new CpuSample(clock.nanoTime(), t, List.of(t));
        }

        @Override
        public double[] loadAverages() {
            return new double[] {1, 2, 3};
        }

        @Override
        public int logicalProcessors() {
            return 1;
        }
    };

    @Test
    void theFirstCollectionWaitsForHalfASecondSinceActivationAndMeasuresAgainstIt() throws Exception {
        CpuMonitor monitor = monitor(Map.of("interval", 60.0, "timeout", 30.0));
        assertThat(samples).hasValue(1);
        clock.advanceMillis(120);

        Metrics first = monitor.collect();

        assertThat(clock.sleeps).containsExactly(380 * MS);
        assertThat(first.asMap()).containsEntry("cpu_percent", 10.0).containsEntry("per_cpu_percent", List.of(10.0));
    }

    @Test
    void laterCollectionsDoNotWaitAndMeasureAgainstThePreviousOne() throws Exception {
        CpuMonitor monitor = monitor(Map.of());
        clock.advanceMillis(700);
        monitor.collect();
        clock.advanceMillis(1);

        Metrics second = monitor.collect();

        assertThat(clock.sleeps).isEmpty();
        assertThat(samples).hasValue(3);
        assertThat(second.asMap()).containsEntry("cpu_percent", 10.0);
    }

    @Test
    void anUnknownSettingFailsEveryCollectionNamingIt() {
        CpuMonitor monitor = monitor(Map.of("interval", 60.0, "per_cpu", "false"));

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(monitor::collect).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unknown setting \"per_cpu\": cpu_monitor has no settings");
        }
    }

    @Test
    void nothingMeasurableIsAnError() {
        CpuSource nothing = new CpuSource() {
            @Override
            public CpuSample sample() {
                return new CpuSample(clock.nanoTime(), new Ticks(0, 0), List.of());
            }

            @Override
            public double[] loadAverages() {
                return new double[] {-1, -1, -1};
            }

            @Override
            public int logicalProcessors() {
                return 0;
            }
        };

        assertThatThrownBy(new CpuMonitor(nothing, clock, config(Map.of()), Map.of())::collect)
                .isInstanceOf(IllegalStateException.class).hasMessage("no cpu figures on this system");
    }

    @Test
    void theConfigurationKeysAreIntervalAndTimeout() {
        assertThat(List.of(CpuMonitor.Config.class.getDeclaredMethods())).extracting(ComponentConfig::propertyName)
                .containsExactlyInAnyOrder("interval", "timeout");
    }

    @Test
    void onThisMachineTheFirstSampleHasEverythingAndAgreesWithTheKernel() throws Exception {
        assumeThat(Path.of("/proc/cpuinfo")).exists();
        long processors = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("processor")).count();
        double[] loadBefore = loadavg();
        long start = System.nanoTime();

        Metrics m = new CpuMonitor(config(Map.of("interval", 60.0, "timeout", 30.0)), new HashMap<>()).collect();

        long took = System.nanoTime() - start;
        double[] loadAfter = loadavg();
        assertThat(took).as("the first collection waits for its window").isGreaterThanOrEqualTo(500 * MS);
        assertThat(m.asMap()).containsOnlyKeys("cpu_percent", "per_cpu_percent", "load_1", "load_5", "load_15",
                "cores");
        assertThat(m.asMap()).containsEntry("cores", processors);
        assertThat(m.number(MetricPath.of("cpu_percent"))).hasValueSatisfying(p -> assertThat(p).isBetween(0.0, 100.0));
        @SuppressWarnings("unchecked")
        List<Double> perCpu = (List<Double>) m.asMap().get("per_cpu_percent");
        assertThat(perCpu).hasSize((int) processors).allSatisfy(p -> assertThat(p).isBetween(0.0, 100.0));
        String[] loads = {"load_1", "load_5", "load_15"};
        for (int i = 0; i < 3; i++) {
            // /proc/loadavg has two decimals and changes every 5 s: the plugin's value lies between two reads. The
            // kernel rounds its fixed-point value (1/2048) by adding 10/2048, a little less than 0.005, so a value
            // may be up to about 0.0051 from what the file shows (2.89501953125 is shown as 2.89)
            double low = Math.min(loadBefore[i], loadAfter[i]) - 0.01;
            double high = Math.max(loadBefore[i], loadAfter[i]) + 0.01;
            assertThat(m.number(MetricPath.of(loads[i]))).as(loads[i])
                    .hasValueSatisfying(v -> assertThat(v).isBetween(low, high));
        }
    }

    private static double[] loadavg() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    }

    private CpuMonitor monitor(Map<String, ?> properties) {
        return new CpuMonitor(source, clock, config(properties), properties);
    }

    private static CpuMonitor.Config config(Map<String, ?> properties) {
        return ComponentConfig.of(CpuMonitor.Config.class, properties);
    }
}
