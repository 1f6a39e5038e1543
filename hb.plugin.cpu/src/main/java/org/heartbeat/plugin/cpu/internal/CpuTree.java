package org.heartbeat.plugin.cpu.internal;

import java.util.List;

import org.heartbeat.api.Metrics;

/**
 * Turns two samples of the tick counters, the load averages and the processor count into the values of
 * {@code cpu_monitor}, with the names and meanings of {@code hbc_mini}:
 *
 * <pre>{@code
 * {cpu_percent=12.5, per_cpu_percent=[10.0, 15.0], load_1=0.52, load_5=0.4, load_15=0.31, cores=2}
 * }</pre>
 *
 * A percentage is busy time over all time between the two samples, within 0..100. It is left out when there is
 * no earlier sample, when the counters did not move, and when they went backwards (a reset). The per-CPU list is
 * left out whole when the number of CPUs changed or one CPU's percentage is left out, so that its indices stay
 * true. A negative load average means the system has none and is left out.
 */
final class CpuTree {
    private CpuTree() {
    }

    /**
     * @param before the previous sample, or null when there is none
     * @param now the current sample
     * @param loads the 1, 5 and 15 minute load averages, negative where there are none; may be shorter or null
     * @param logicalProcessors 0 or less when unknown
     */
    static Metrics build(CpuSample before, CpuSample now, double[] loads, int logicalProcessors) {
        Metrics.Builder b = Metrics.builder();
        if (before != null) {
            b.put("cpu_percent", percent(before.all(), now.all()));
            List<CpuSample.Ticks> was = before.perCpu();
            List<CpuSample.Ticks> is = now.perCpu();
            if (!is.isEmpty() && was.size() == is.size()) {
                double[] perCpu = new double[is.size()];
                for (int i = 0; i < perCpu.length; i++) {
                    perCpu[i] = percent(was.get(i), is.get(i));
                }
                b.list("per_cpu_percent", perCpu);
            }
        }
        String[] loadKeys = {"load_1", "load_5", "load_15"};
        for (int i = 0; loads != null && i < Math.min(loads.length, loadKeys.length); i++) {
            if (loads[i] >= 0) {
                b.put(loadKeys[i], loads[i]);
            }
        }
        if (logicalProcessors > 0) {
            b.put("cores", logicalProcessors);
        }
        return b.build();
    }

    /** The busy percentage between two samples of one CPU's counters; NaN (left out) when there is none. */
    static double percent(CpuSample.Ticks before, CpuSample.Ticks after) {
        long busy = after.busy() - before.busy();
        long total = after.total() - before.total();
        if (total <= 0 || busy < 0) {
            return Double.NaN;
        }
        // iowait, part of idle, can go backwards on Linux: busy may then exceed total by a little
        return Math.min(100.0 * busy / total, 100.0);
    }
}
