package org.heartbeat.plugin.cpu.internal;

import java.util.List;

/**
 * The processor's tick counters at one moment, of all CPUs together and of each logical CPU.
 *
 * @param nanos when they were read, on the {@link org.heartbeat.plugin.support.Clock#nanoTime()} clock
 */
record CpuSample(long nanos, Ticks all, List<Ticks> perCpu) {

    CpuSample {
        perCpu = List.copyOf(perCpu);
    }

    /**
     * Time a CPU spent busy and in all since boot, in one unit (OSHI gives milliseconds). Busy is user, nice,
     * system, irq, softirq and steal; idle is idle and iowait, as {@code hbc_mini} counts them.
     */
    record Ticks(long busy, long total) {
    }
}
