package org.heartbeat.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reports about a stopped plugin's thread that runs on, on a clock the test moves. */
class AbandonedThreadsTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final RecordingLogger log = new RecordingLogger();
    private final AtomicLong now = new AtomicLong(42 * SECOND);
    private final AbandonedThreads threads = new AbandonedThreads(log.logger, now::get, Duration.ofSeconds(1),
            Duration.ofMinutes(5));
    private final CountDownLatch end = new CountDownLatch(1);
    private final Thread stubborn = new Thread(() -> {
        try {
            end.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }, "hbc-plugin-probe");

    @AfterEach
    void tearDown() throws InterruptedException {
        end.countDown();
        stubborn.join(5000);
    }

    @Test
    void aThreadStillAliveAfterTheGraceIsReportedEveryFiveMinutesAndOnceWhenItEnds() throws Exception {
        stubborn.start();
        threads.watch("probe", "com.example.probe 1.0.0", stubborn);

        now.addAndGet(SECOND / 2);
        threads.check();
        assertThat(log.lines).as("within the grace").isEmpty();

        now.addAndGet(SECOND / 2);
        threads.check();
        assertThat(log.lines).containsExactly("WARN plugin probe (bundle com.example.probe 1.0.0) was stopped 1 s ago,"
                + " but its collection thread hbc-plugin-probe-abandoned ignores the interrupt and still runs that"
                + " bundle's code; it cannot be stopped and ends only when collect() returns (reminder every 300 s)");
        assertThat(stubborn.getName()).isEqualTo("hbc-plugin-probe-abandoned");

        for (int i = 0; i < 299; i++) {
            now.addAndGet(SECOND);
            threads.check();
        }
        assertThat(log.lines).as("no reminder before five minutes").hasSize(1);
        now.addAndGet(SECOND);
        threads.check();
        assertThat(log.lines).hasSize(2);
        assertThat(log.lines.get(1)).contains("was stopped 301 s ago");

        end.countDown();
        stubborn.join(5000);
        now.addAndGet(SECOND);
        threads.check();
        threads.check();
        assertThat(log.lines).hasSize(3);
        assertThat(log.lines.get(2)).isEqualTo("INFO plugin probe (bundle com.example.probe 1.0.0): its abandoned"
                + " collection thread hbc-plugin-probe-abandoned ended after 302 s");
        assertThat(threads.any()).isFalse();
    }

    @Test
    void aThreadThatEndsWithinTheGraceIsForgottenWithoutAWord() throws Exception {
        stubborn.start();
        threads.watch("probe", "com.example.probe 1.0.0", stubborn);
        end.countDown();
        stubborn.join(5000);

        now.addAndGet(2 * SECOND);
        threads.check();

        assertThat(log.lines).isEmpty();
        assertThat(threads.any()).isFalse();
        assertThat(stubborn.getName()).isEqualTo("hbc-plugin-probe");
    }
}
