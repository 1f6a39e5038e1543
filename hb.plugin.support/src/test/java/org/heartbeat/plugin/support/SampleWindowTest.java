package org.heartbeat.plugin.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class SampleWindowTest {
    private static final long MS = 1_000_000L;

    /** A reading: its number and when it was made. */
    record Reading(int n, long nanos) {
    }

    private final FakeClock clock = new FakeClock();
    private final AtomicInteger reads = new AtomicInteger();

    private Reading read() {
        return new Reading(reads.getAndIncrement(), clock.nanoTime());
    }

    private SampleWindow<Reading> window(double timeout, double interval) {
        return new SampleWindow<>(this::read, Reading::nanos, clock, timeout, interval);
    }

    @Test
    void theFirstPairWaitsForHalfASecondSinceTheFirstReadingAndMeasuresFromIt() throws Exception {
        SampleWindow<Reading> w = window(30, 60);
        assertThat(reads).hasValue(1);
        clock.advanceMillis(120);

        SampleWindow.Pair<Reading> p = w.next();

        assertThat(clock.sleeps).containsExactly(380 * MS);
        assertThat(p.before().n()).isZero();
        assertThat(p.now().n()).isEqualTo(1);
        assertThat(p.now().nanos() - p.before().nanos()).isEqualTo(500 * MS);
    }

    @Test
    void laterPairsDoNotWaitAndMeasureFromThePreviousReading() throws Exception {
        SampleWindow<Reading> w = window(0, 0);
        clock.advanceMillis(700);
        w.next();
        clock.advanceMillis(1);

        SampleWindow.Pair<Reading> second = w.next();

        assertThat(clock.sleeps).isEmpty();
        assertThat(second.before().n()).isEqualTo(1);
        assertThat(second.now().n()).isEqualTo(2);
    }

    @Test
    void theFirstWaitIsAtMostHalfTheTimeout() throws Exception {
        window(0.3, 0.4).next();

        assertThat(clock.sleeps).containsExactly(150 * MS);
    }

    @Test
    void withoutATimeoutTheFirstWaitIsAtMostHalfTheDefaultOne() {
        assertThat(SampleWindow.maxFirstWaitNanos(0.4, 60)).isEqualTo(200 * MS);
        // no timeout: the default, 80 % of the interval but at most 30 s
        assertThat(SampleWindow.maxFirstWaitNanos(0, 0.6)).isEqualTo(240 * MS);
        assertThat(SampleWindow.maxFirstWaitNanos(0, 120)).isEqualTo(15_000 * MS);
        assertThat(SampleWindow.maxFirstWaitNanos(0, 0)).isEqualTo(15_000 * MS);
    }

    @Test
    void anInterruptedFirstWaitThrowsAndTheNextPairWaitsOnlyForWhatIsLeft() throws Exception {
        SampleWindow<Reading> w = window(0, 0);
        clock.interruptNextSleep();

        assertThatThrownBy(w::next).isInstanceOf(InterruptedException.class);
        clock.advanceMillis(100);
        SampleWindow.Pair<Reading> next = w.next();

        // the interrupted sleep of 500 ms moved the clock by a third of it, then 100 ms more
        assertThat(clock.sleeps).hasSize(2);
        assertThat(clock.sleeps.get(1)).isEqualTo(500 * MS - 500 * MS / 3 - 100 * MS);
        assertThat(next.before().n()).as("measured from the first reading").isZero();
    }

    @Test
    void aFailedFirstReadingIsMadeAgainByTheFirstPair() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SampleWindow<Reading> w = new SampleWindow<>(() -> {
            if (calls.getAndIncrement() == 0) {
                throw new IllegalStateException("not yet");
            }
            return read();
        }, Reading::nanos, clock, 0, 0);

        SampleWindow.Pair<Reading> first = w.next();

        assertThat(clock.sleeps).containsExactly(500 * MS);
        assertThat(first.before().n()).isZero();
        assertThat(first.now().n()).isEqualTo(1);
    }

    @Test
    void aReadingThatKeepsFailingFailsThePair() {
        SampleWindow<Reading> w = new SampleWindow<>(() -> {
            throw new IllegalStateException("no counters");
        }, Reading::nanos, clock, 0, 0);

        assertThatThrownBy(w::next).isInstanceOf(IllegalStateException.class).hasMessage("no counters");
    }
}
