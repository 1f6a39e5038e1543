package org.heartbeat.plugin.memory.internal;

import oshi.SystemInfo;
import oshi.hardware.GlobalMemory;
import oshi.hardware.VirtualMemory;

/** Reads this machine's memory figures with OSHI. */
final class OshiMemorySource implements MemorySource {
    private final GlobalMemory memory;

    OshiMemorySource() {
        this.memory = new SystemInfo().getHardware().getMemory();
    }

    @Override
    public MemoryReading read() {
        VirtualMemory swap = memory.getVirtualMemory();
        return new MemoryReading(memory.getTotal(), memory.getAvailable(), swap.getSwapTotal(), swap.getSwapUsed());
    }
}
