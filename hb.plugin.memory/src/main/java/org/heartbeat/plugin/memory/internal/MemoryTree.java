package org.heartbeat.plugin.memory.internal;

import org.heartbeat.api.Metrics;

/**
 * Turns memory figures into the values of {@code memory_monitor}, with the names and meanings of
 * {@code hbc_mini}:
 *
 * <pre>{@code
 * {total=8000000000, available=6000000000, used=2000000000, percent=25.0,
 *  swap={total=1000000000, used=250000000, free=750000000, percent=25.0}}
 * }</pre>
 *
 * {@code used} is {@code total - available}. Figures that are unknown or contradict each other (more available
 * than there is, more swap used than there is) are left out rather than bent into range: without a total there is
 * nothing else, without a valid available figure there is only the total, and swap is left out whole. The swap
 * percentage is left out when there is no swap.
 */
final class MemoryTree {
    private MemoryTree() {
    }

    static Metrics build(MemoryReading r) {
        Metrics.Builder b = Metrics.builder();
        if (r.total() > 0) {
            b.put("total", r.total());
            if (r.available() >= 0 && r.available() <= r.total()) {
                long used = r.total() - r.available();
                b.put("available", r.available());
                b.put("used", used);
                b.put("percent", percent(used, r.total()));
            }
        }
        if (r.swapTotal() >= 0 && r.swapUsed() >= 0 && r.swapUsed() <= r.swapTotal()) {
            // put, not map: a machine without swap still reports {total=0, used=0, free=0}
            Metrics.Builder swap = Metrics.builder()
                    .put("total", r.swapTotal())
                    .put("used", r.swapUsed())
                    .put("free", r.swapTotal() - r.swapUsed());
            if (r.swapTotal() > 0) {
                swap.put("percent", percent(r.swapUsed(), r.swapTotal()));
            }
            b.put("swap", swap.build());
        }
        return b.build();
    }

    private static double percent(long part, long whole) {
        return Math.max(0.0, Math.min(100.0, 100.0 * part / whole));
    }
}
