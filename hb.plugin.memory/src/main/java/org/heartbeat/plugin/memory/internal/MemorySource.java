package org.heartbeat.plugin.memory.internal;

/** Where {@link MemoryMonitor} reads memory figures: {@link OshiMemorySource} in the runtime, fixed ones in tests. */
interface MemorySource {
    MemoryReading read();
}
