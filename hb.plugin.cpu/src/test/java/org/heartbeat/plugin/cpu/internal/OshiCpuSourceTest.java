package org.heartbeat.plugin.cpu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import oshi.hardware.CentralProcessor.TickType;

class OshiCpuSourceTest {

    @Test
    void idleAndIowaitAreIdleEverythingElseIsBusy() {
        long[] ticks = new long[TickType.values().length];
        ticks[TickType.USER.getIndex()] = 1;
        ticks[TickType.NICE.getIndex()] = 2;
        ticks[TickType.SYSTEM.getIndex()] = 4;
        ticks[TickType.IDLE.getIndex()] = 8;
        ticks[TickType.IOWAIT.getIndex()] = 16;
        ticks[TickType.IRQ.getIndex()] = 32;
        ticks[TickType.SOFTIRQ.getIndex()] = 64;
        ticks[TickType.STEAL.getIndex()] = 128;

        assertThat(OshiCpuSource.ticks(ticks)).isEqualTo(new CpuSample.Ticks(1 + 2 + 4 + 32 + 64 + 128, 255));
    }
}
