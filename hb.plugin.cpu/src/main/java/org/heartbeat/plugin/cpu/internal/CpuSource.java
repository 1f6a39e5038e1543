package org.heartbeat.plugin.cpu.internal;

/** Where {@link CpuMonitor} reads the processor: {@link OshiCpuSource} in the runtime, fixed figures in tests. */
interface CpuSource {
    CpuSample sample();

    /** The 1, 5 and 15 minute load averages; negative where the system has none. */
    double[] loadAverages();

    /** The number of logical processors; 0 or less when unknown. */
    int logicalProcessors();
}
