package org.heartbeat.plugin.cpu.internal;

import java.util.Arrays;

import org.heartbeat.plugin.support.Clock;

import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.CentralProcessor.TickType;

/** Reads this machine's processor with OSHI. */
final class OshiCpuSource implements CpuSource {
    private final CentralProcessor processor;
    private final Clock clock;

    OshiCpuSource(Clock clock) {
        this.processor = new SystemInfo().getHardware().getProcessor();
        this.clock = clock;
    }

    @Override
    public CpuSample sample() {
        long[] all = processor.getSystemCpuLoadTicks();
        long[][] perCpu = processor.getProcessorCpuLoadTicks();
        long nanos = clock.nanoTime();
        return new CpuSample(nanos, ticks(all), Arrays.stream(perCpu).map(OshiCpuSource::ticks).toList());
    }

    /** Busy and total time from OSHI's counters, indexed by {@link TickType}. */
    static CpuSample.Ticks ticks(long[] oshiTicks) {
        long total = 0;
        for (TickType t : TickType.values()) {
            total += oshiTicks[t.getIndex()];
        }
        long idle = oshiTicks[TickType.IDLE.getIndex()] + oshiTicks[TickType.IOWAIT.getIndex()];
        return new CpuSample.Ticks(total - idle, total);
    }

    @Override
    public double[] loadAverages() {
        return processor.getSystemLoadAverage(3);
    }

    @Override
    public int logicalProcessors() {
        return processor.getLogicalProcessorCount();
    }
}
