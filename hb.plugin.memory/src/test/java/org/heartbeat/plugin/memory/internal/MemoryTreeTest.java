package org.heartbeat.plugin.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import java.util.Random;

import org.heartbeat.api.Metrics;
import org.junit.jupiter.api.Test;

class MemoryTreeTest {

    @Test
    void usedIsTotalLessAvailable() {
        Metrics m = MemoryTree.build(new MemoryReading(8_000_000_000L, 6_000_000_000L, 1_000_000_000L, 250_000_000L));

        assertThat(m.asMap()).containsExactly(entry("total", 8_000_000_000L), entry("available", 6_000_000_000L),
                entry("used", 2_000_000_000L), entry("percent", 25.0),
                entry("swap", Map.of("total", 1_000_000_000L, "used", 250_000_000L, "free", 750_000_000L,
                        "percent", 25.0)));
    }

    @Test
    void withoutSwapThereIsNoSwapPercentButStillTheSizes() {
        Metrics m = MemoryTree.build(new MemoryReading(100, 40, 0, 0));

        assertThat(m.asMap()).containsEntry("swap", Map.of("total", 0L, "used", 0L, "free", 0L));
    }

    @Test
    void anAvailableFigureThatCannotBeTrueLeavesOnlyTheTotal() {
        assertThat(MemoryTree.build(new MemoryReading(100, 101, 0, 0)).asMap()).containsOnlyKeys("total", "swap");
        assertThat(MemoryTree.build(new MemoryReading(100, -1, 0, 0)).asMap()).containsOnlyKeys("total", "swap");
    }

    @Test
    void withoutATotalThereIsNoPhysicalMemoryFigure() {
        assertThat(MemoryTree.build(new MemoryReading(0, 0, 10, 5)).asMap()).containsOnlyKeys("swap");
        assertThat(MemoryTree.build(new MemoryReading(-1, 5, 10, 5)).asMap()).containsOnlyKeys("swap");
    }

    @Test
    void swapFiguresThatCannotBeTrueLeaveOutSwap() {
        assertThat(MemoryTree.build(new MemoryReading(100, 50, 10, 11)).asMap()).doesNotContainKey("swap");
        assertThat(MemoryTree.build(new MemoryReading(100, 50, -1, 0)).asMap()).doesNotContainKey("swap");
        assertThat(MemoryTree.build(new MemoryReading(100, 50, 10, -1)).asMap()).doesNotContainKey("swap");
    }

    @Test
    void theExtremesAre0And100Percent() {
        assertThat(MemoryTree.build(new MemoryReading(100, 100, 10, 0)).asMap()).containsEntry("percent", 0.0)
                .containsEntry("used", 0L).containsEntry("swap", Map.of("total", 10L, "used", 0L, "free", 10L,
                        "percent", 0.0));
        assertThat(MemoryTree.build(new MemoryReading(Long.MAX_VALUE, 0, Long.MAX_VALUE, Long.MAX_VALUE)).asMap())
                .containsEntry("percent", 100.0).containsEntry("used", Long.MAX_VALUE);
    }

    @Test
    void noFiguresGiveNothing() {
        assertThat(MemoryTree.build(new MemoryReading(-1, -1, -1, -1)).isEmpty()).isTrue();
    }

    @Test
    void whateverIsReadEveryNumberIsFiniteAndEveryPercentIn0To100() {
        Random random = new Random(7);
        long[] interesting = {-1, 0, 1, 100, Long.MAX_VALUE};
        for (int run = 0; run < 10_000; run++) {
            long[] f = new long[4];
            for (int i = 0; i < 4; i++) {
                f[i] = random.nextBoolean() ? interesting[random.nextInt(interesting.length)] : random.nextLong();
            }

            Metrics m = MemoryTree.build(new MemoryReading(f[0], f[1], f[2], f[3]));

            m.leaves().forEach((path, value) -> {
                assertThat(value).as("%s", path).isInstanceOfAny(Long.class, Double.class);
                if (value instanceof Double d) {
                    assertThat(d).as("%s", path).isBetween(0.0, 100.0);
                } else {
                    assertThat((Long) value).as("%s", path).isNotNegative();
                }
            });
        }
    }
}
