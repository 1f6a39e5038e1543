package org.heartbeat.server.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heartbeat.server.internal.host.HostTableFixture.soon;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The deadline timer's thread, driven by a {@link ManualTicker}. */
class DeadlineTimerTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final AtomicInteger TIMERS = new AtomicInteger();

    private record Call(String host, long at, long now) {
    }

    private final ManualTicker ticker = new ManualTicker();
    private final long start = ticker.nanos();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<RuntimeException> errors = new CopyOnWriteArrayList<>();
    private final String threadName = "test-timer-" + TIMERS.incrementAndGet();
    private DeadlineTimer timer;

    @AfterEach
    void closeTimer() {
        if (timer != null) {
            timer.close();
        }
    }

    private DeadlineTimer start(DeadlineTimer.Expiry expiry) {
        timer = new DeadlineTimer(ticker, expiry, errors::add, threadName);
        return timer;
    }

    /** An expiry that records each call and does not want to see the host again. */
    private DeadlineTimer startRecording() {
        return start((host, at, now) -> {
            calls.add(new Call(host.name, at, now));
            return HostState.NOT_SCHEDULED;
        });
    }

    private void advanceTo(long nanosAfterStart) {
        ticker.advance(Duration.ofNanos(start + nanosAfterStart - ticker.nanos()));
        timer.poke();
    }

    private List<String> calledHosts() {
        return calls.stream().map(Call::host).toList();
    }

    private boolean timerThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(threadName));
    }

    private static void assertStaysTrue(Callable<Boolean> condition) {
        Awaitility.await().during(HostTableFixture.QUIET_PERIOD).atMost(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(5)).until(condition);
    }

    @Test
    void entriesExpireInDeadlineOrder() {
        startRecording();
        timer.schedule(new HostState("c"), start + 30 * SECOND);
        timer.schedule(new HostState("a"), start + 10 * SECOND);
        timer.schedule(new HostState("b"), start + 20 * SECOND);

        advanceTo(60 * SECOND);

        soon().until(() -> calls.size() == 3);
        assertThat(calledHosts()).containsExactly("a", "b", "c");
        assertThat(calls).extracting(Call::at).containsExactly(start + 10 * SECOND, start + 20 * SECOND,
                start + 30 * SECOND);
        assertThat(calls).extracting(Call::now).containsOnly(start + 60 * SECOND);
    }

    @Test
    void nothingExpiresBeforeItsDeadline() {
        startRecording();
        timer.schedule(new HostState("a"), start + 10 * SECOND);
        timer.schedule(new HostState("b"), start + 20 * SECOND);

        advanceTo(10 * SECOND - 1);
        assertStaysTrue(calls::isEmpty);
        advanceTo(15 * SECOND);

        soon().until(() -> calls.size() == 1);
        assertStaysTrue(() -> calls.size() == 1);
        assertThat(calledHosts()).containsExactly("a");
        advanceTo(20 * SECOND);
        soon().until(() -> calls.size() == 2);
        assertThat(calledHosts()).containsExactly("a", "b");
    }

    @Test
    void entryDueAlreadyExpiresWithoutAPoke() {
        startRecording();
        timer.schedule(new HostState("later"), start + 3600 * SECOND);

        timer.schedule(new HostState("now"), start);

        soon().until(() -> calls.size() == 1);
        assertThat(calledHosts()).containsExactly("now");
    }

    @Test
    void expiryReturningATimeQueuesTheHostAgain() {
        start((host, at, now) -> {
            calls.add(new Call(host.name, at, now));
            return calls.size() < 3 ? at + 5 * SECOND : HostState.NOT_SCHEDULED;
        });
        timer.schedule(new HostState("web1"), start + 10 * SECOND);

        advanceTo(10 * SECOND);
        soon().until(() -> calls.size() == 1);
        advanceTo(15 * SECOND);
        soon().until(() -> calls.size() == 2);
        advanceTo(20 * SECOND);
        soon().until(() -> calls.size() == 3);
        advanceTo(100 * SECOND);

        assertStaysTrue(() -> calls.size() == 3);
        assertThat(calls).extracting(Call::at).containsExactly(start + 10 * SECOND, start + 15 * SECOND,
                start + 20 * SECOND);
        assertThat(timer.size()).isZero();
    }

    @Test
    void failingExpiryGoesToTheErrorConsumerAndTheTimerKeepsRunning() {
        IllegalStateException failure = new IllegalStateException("listener broke");
        start((host, at, now) -> {
            calls.add(new Call(host.name, at, now));
            if (host.name.equals("bad")) {
                throw failure;
            }
            return HostState.NOT_SCHEDULED;
        });
        timer.schedule(new HostState("bad"), start + 10 * SECOND);
        timer.schedule(new HostState("good"), start + 20 * SECOND);

        advanceTo(10 * SECOND);
        soon().until(() -> errors.size() == 1);
        advanceTo(20 * SECOND);

        soon().until(() -> calls.size() == 2);
        assertThat(errors).containsExactly(failure);
        assertThat(calledHosts()).containsExactly("bad", "good");
        assertThat(timerThreadAlive()).isTrue();
    }

    @Test
    void sameHostMayBeQueuedMoreThanOnce() {
        startRecording();
        HostState host = new HostState("web1");
        timer.schedule(host, start + 20 * SECOND);
        timer.schedule(host, start + 10 * SECOND);

        assertThat(timer.size()).isEqualTo(2);
        advanceTo(20 * SECOND);

        soon().until(() -> calls.size() == 2);
        assertThat(calls).extracting(Call::at).containsExactly(start + 10 * SECOND, start + 20 * SECOND);
    }

    @Test
    void closeStopsTheThread() {
        startRecording();
        timer.schedule(new HostState("web1"), start + 3600 * SECOND);
        assertThat(timerThreadAlive()).isTrue();

        timer.close();

        assertThat(timerThreadAlive()).isFalse();
    }

    @Test
    void closeStopsAnIdleThread() {
        startRecording();
        soon().until(() -> Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(threadName) && t.getState() == Thread.State.WAITING));

        timer.close();

        assertThat(timerThreadAlive()).isFalse();
    }

    @Test
    void closedTimerCallsNothing() {
        startRecording();
        timer.schedule(new HostState("web1"), start + 10 * SECOND);
        timer.close();

        advanceTo(20 * SECOND);

        assertStaysTrue(calls::isEmpty);
    }
}
