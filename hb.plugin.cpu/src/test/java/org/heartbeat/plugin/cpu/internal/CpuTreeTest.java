package org.heartbeat.plugin.cpu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.heartbeat.api.MetricPath;
import org.heartbeat.api.Metrics;
import org.heartbeat.plugin.cpu.internal.CpuSample.Ticks;
import org.junit.jupiter.api.Test;

class CpuTreeTest {
    private static final double[] LOADS = {0.52, 0.4, 0.31};

    @Test
    void percentagesAreBusyTimeOverAllTimeBetweenTheSamples() {
        CpuSample before = sample(new Ticks(1000, 10_000), new Ticks(400, 5000), new Ticks(600, 5000));
        CpuSample after = sample(new Ticks(1250, 12_000), new Ticks(500, 6000), new Ticks(750, 6000));

        Metrics m = CpuTree.build(before, after, LOADS, 2);

        assertThat(m.asMap()).containsExactly(
                entry("cpu_percent", 12.5), entry("per_cpu_percent", List.of(10.0, 15.0)),
                entry("load_1", 0.52), entry("load_5", 0.4), entry("load_15", 0.31), entry("cores", 2L));
    }

    @Test
    void withoutAnEarlierSampleThereAreOnlyLoadsAndCores() {
        Metrics m = CpuTree.build(null, sample(new Ticks(5, 10), new Ticks(5, 10)), LOADS, 4);

        assertThat(m.asMap()).containsOnlyKeys("load_1", "load_5", "load_15", "cores");
    }

    @Test
    void countersThatDidNotMoveGiveNoPercentage() {
        CpuSample s = sample(new Ticks(5, 10), new Ticks(5, 10));

        assertThat(CpuTree.build(s, s, LOADS, 1).asMap()).doesNotContainKeys("cpu_percent", "per_cpu_percent");
    }

    @Test
    void countersThatWentBackwardsGiveNoPercentage() {
        CpuSample before = sample(new Ticks(500, 1000), new Ticks(500, 1000));

        assertThat(CpuTree.build(before, sample(new Ticks(10, 100), new Ticks(10, 100)), LOADS, 1).asMap())
                .doesNotContainKeys("cpu_percent", "per_cpu_percent");
        // busy time cannot shrink while the total grows; no made-up 0
        assertThat(CpuTree.build(before, sample(new Ticks(400, 2000), new Ticks(400, 2000)), LOADS, 1).asMap())
                .doesNotContainKeys("cpu_percent", "per_cpu_percent");
    }

    @Test
    void oneCpuThatCannotBeMeasuredLeavesOutTheWholeListButNotTheTotal() {
        CpuSample before = sample(new Ticks(100, 1000), new Ticks(50, 500), new Ticks(50, 500));
        // the second CPU went offline: its counters read 0
        CpuSample after = sample(new Ticks(200, 1500), new Ticks(150, 1000), new Ticks(0, 0));

        Metrics m = CpuTree.build(before, after, LOADS, 2);

        assertThat(m.asMap()).containsEntry("cpu_percent", 20.0).doesNotContainKey("per_cpu_percent");
    }

    @Test
    void aChangedNumberOfCpusLeavesOutTheListButNotTheTotal() {
        CpuSample before = sample(new Ticks(100, 1000), new Ticks(50, 500), new Ticks(50, 500));
        CpuSample after = sample(new Ticks(200, 2000), new Ticks(100, 700), new Ticks(60, 700), new Ticks(40, 600));

        Metrics m = CpuTree.build(before, after, LOADS, 3);

        assertThat(m.asMap()).containsEntry("cpu_percent", 10.0).containsEntry("cores", 3L)
                .doesNotContainKey("per_cpu_percent");
    }

    @Test
    void busyTimeBeyondTheTotalIsClampedTo100() {
        // iowait (counted as idle) went backwards by 10 ticks
        CpuSample before = sample(new Ticks(100, 1000), new Ticks(100, 1000));
        CpuSample after = sample(new Ticks(210, 1100), new Ticks(210, 1100));

        assertThat(CpuTree.build(before, after, LOADS, 1).asMap()).containsEntry("cpu_percent", 100.0)
                .containsEntry("per_cpu_percent", List.of(100.0));
    }

    @Test
    void loadAveragesTheSystemDoesNotHaveAreLeftOut() {
        CpuSample s = sample(new Ticks(5, 10));

        assertThat(CpuTree.build(null, s, new double[] {-1, -1, -1}, 2).asMap()).containsOnlyKeys("cores");
        assertThat(CpuTree.build(null, s, new double[] {0.0, Double.NaN, 1.5}, 2).asMap())
                .containsOnlyKeys("load_1", "load_15", "cores").containsEntry("load_1", 0.0);
        assertThat(CpuTree.build(null, s, new double[] {0.25}, 2).asMap()).containsOnlyKeys("load_1", "cores");
        assertThat(CpuTree.build(null, s, null, 2).asMap()).containsOnlyKeys("cores");
    }

    @Test
    void anUnknownProcessorCountIsLeftOut() {
        assertThat(CpuTree.build(null, sample(new Ticks(5, 10)), null, 0).asMap()).isEmpty();
    }

    @Test
    void noCountersEverGiveANumberOutside0To100OrNotFinite() {
        Random random = new Random(42);
        for (int run = 0; run < 10_000; run++) {
            int cpus = 1 + random.nextInt(4);
            CpuSample before = randomSample(random, cpus);
            CpuSample after = randomSample(random, random.nextInt(10) == 0 ? cpus + 1 : cpus);
            double[] loads = {random.nextGaussian(), Double.NaN, Double.POSITIVE_INFINITY};

            Metrics m = CpuTree.build(before, after, loads, cpus);

            m.leaves().forEach((path, value) -> {
                assertThat(value).as("%s", path).isInstanceOf(Number.class);
                double d = ((Number) value).doubleValue();
                assertThat(Double.isFinite(d)).as("%s = %s", path, d).isTrue();
                if (path.segments().get(0).endsWith("percent")) {
                    assertThat(d).as("%s", path).isBetween(0.0, 100.0);
                }
            });
            m.number(MetricPath.of("cpu_percent")).ifPresent(p -> assertThat(p)
                    .isCloseTo(Math.min(100.0, 100.0 * (after.all().busy() - before.all().busy())
                            / (after.all().total() - before.all().total())), within(1e-9)));
        }
    }

    private static CpuSample randomSample(Random random, int cpus) {
        List<Ticks> per = new ArrayList<>();
        for (int i = 0; i < cpus; i++) {
            long total = random.nextInt(3) == 0 ? random.nextInt(3) : random.nextInt(1_000_000);
            per.add(new Ticks(total == 0 ? 0 : random.nextLong(total + 1), total));
        }
        return new CpuSample(0, new Ticks(per.stream().mapToLong(Ticks::busy).sum(),
                per.stream().mapToLong(Ticks::total).sum()), per);
    }

    /** A sample of these counters of all CPUs and, when more are given, of each. */
    private static CpuSample sample(Ticks all, Ticks... perCpu) {
        return new CpuSample(0, all, List.of(perCpu));
    }

    private static java.util.Map.Entry<String, Object> entry(String key, Object value) {
        return java.util.Map.entry(key, value);
    }
}
