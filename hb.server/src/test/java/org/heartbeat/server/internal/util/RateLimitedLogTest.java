package org.heartbeat.server.internal.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** One log line per topic and period; the rest counted and reported with the next line. */
class RateLimitedLogTest {
    private static final long PERIOD = 10_000;
    private static final long T0 = java.time.Instant.parse("2025-11-26T00:00:00.123Z").toEpochMilli();

    private record Line(String format, List<Object> args) {
    }

    private final List<Line> lines = Collections.synchronizedList(new ArrayList<>());
    private final RateLimitedLog log = new RateLimitedLog(PERIOD,
            (format, args) -> lines.add(new Line(format, Arrays.asList(args))));

    @Test
    void firstLineOfATopicPassesUnchanged() {
        log.log("BAD_MAGIC", T0, "dropped a datagram from {}: {}", "192.0.2.1:5", "bad magic");

        assertThat(lines).containsExactly(
                new Line("dropped a datagram from {}: {}", List.of("192.0.2.1:5", "bad magic")));
    }

    @Test
    void firstLineAtTimeZeroPasses() {
        log.log("t", 0, "x {}", 1);

        assertThat(lines).hasSize(1);
    }

    @Test
    void onlyOneLinePerPeriodAndTheRestAreCountedOnTheNextLine() {
        log.log("BAD_MAC", T0, "dropped {}", "first");
        log.log("BAD_MAC", T0 + 1, "dropped {}", "second");
        log.log("BAD_MAC", T0 + 5_000, "dropped {}", "third");
        log.log("BAD_MAC", T0 + PERIOD - 1, "dropped {}", "fourth");
        assertThat(lines).hasSize(1);

        log.log("BAD_MAC", T0 + PERIOD, "dropped {}", "fifth");

        assertThat(lines).hasSize(2);
        Line report = lines.get(1);
        assertThat(report.format()).startsWith("dropped {}").contains("{} more like it");
        assertThat(report.args()).containsExactly("fifth", 3L);
    }

    @Test
    void countStartsAgainAfterItWasReported() {
        log.log("t", T0, "x");
        log.log("t", T0 + 1, "x");
        log.log("t", T0 + PERIOD, "x");

        log.log("t", T0 + 2 * PERIOD, "x");

        assertThat(lines).extracting(Line::format).containsExactly("x",
                "x (and {} more like it since the last report)", "x");
    }

    @Test
    void periodStartsAtTheLastLineLetThrough() {
        log.log("t", T0, "x");
        log.log("t", T0 + PERIOD + 5_000, "x");

        log.log("t", T0 + 2 * PERIOD, "x");

        assertThat(lines).hasSize(2);
    }

    @Test
    void topicsAreLimitedIndependently() {
        log.log("BAD_MAGIC", T0, "magic");
        log.log("BAD_MAC", T0 + 1, "mac");
        log.log("BAD_MAGIC", T0 + 2, "magic");
        log.log("BAD_MAC", T0 + 3, "mac");

        assertThat(lines).extracting(Line::format).containsExactly("magic", "mac");
    }

    @Test
    void concurrentFloodLetsOneLineThroughAndCountsEveryOtherOne() throws Exception {
        int threads = 8;
        int perThread = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        log.log("flood", T0, "dropped");
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(lines).hasSize(1);

        log.log("flood", T0 + PERIOD, "dropped");

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).args()).containsExactly((long) threads * perThread - 1);
    }
}
