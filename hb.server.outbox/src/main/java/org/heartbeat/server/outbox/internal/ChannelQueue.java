package org.heartbeat.server.outbox.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.NotificationChannel;
import org.osgi.service.log.Logger;

/**
 * One channel's sender: a thread of its own ({@code hb-outbox-NAME}) that asks the {@link Ledger} what to send,
 * calls {@link NotificationChannel#send} and records the outcome, one notification at a time, and otherwise waits
 * until the next entry is due or it is {@link #wake() woken}. Test messages ({@link #test}) are sent on the same
 * thread between entries, so the channel is never called concurrently.
 *
 * <p>A send that has not returned after the timeout is interrupted by the watchdog (a scheduler shared by the
 * outbox) and counts as a retry; a channel that ignores the interrupt keeps its thread until it returns, and only its
 * own queue waits. If it does return, its answer counts: a late "delivered" is delivered, so nothing is sent twice
 * for a slow answer.
 */
final class ChannelQueue {
    /** The longest the thread waits without looking again (so a clock that jumps cannot strand an entry). */
    static final long MAX_WAIT_MILLIS = 60_000;

    private record TestSend(Notification notification, CompletableFuture<Delivery> outcome) {
    }

    private final String name;
    private final NotificationChannel channel;
    private final long serviceId;
    private final Ledger ledger;
    private final Clock clock;
    private final Supplier<Duration> giveUpAfter;
    private final ScheduledExecutorService watchdog;
    private final Duration timeout;
    private final Logger log;
    private final Thread thread;
    private final Queue<TestSend> tests = new ConcurrentLinkedQueue<>();
    private final Object monitor = new Object();
    private volatile boolean running = true;
    private volatile int maxPerHour;
    private boolean woken;
    /** Guards {@link #sending}: only a send is ever interrupted, never the thread's waits or its store writes. */
    private final Object sendGuard = new Object();
    private boolean sending;

    ChannelQueue(String name, NotificationChannel channel, long serviceId, int maxPerHour, Ledger ledger, Clock clock,
            Supplier<Duration> giveUpAfter, ScheduledExecutorService watchdog, Duration timeout, Logger log) {
        this.name = name;
        this.channel = channel;
        this.serviceId = serviceId;
        this.maxPerHour = maxPerHour;
        this.ledger = ledger;
        this.clock = clock;
        this.giveUpAfter = giveUpAfter;
        this.watchdog = watchdog;
        this.timeout = timeout;
        this.log = log;
        this.thread = new Thread(this::run, "hb-outbox-" + name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    String name() {
        return name;
    }

    long serviceId() {
        return serviceId;
    }

    int maxPerHour() {
        return maxPerHour;
    }

    void maxPerHour(int max) {
        this.maxPerHour = max;
        wake();
    }

    Duration timeout() {
        return timeout;
    }

    /** Makes the thread look at the ledger again: an entry was queued or revived, or time moved. */
    void wake() {
        synchronized (monitor) {
            woken = true;
            monitor.notifyAll();
        }
    }

    /** Sends a test message on the channel's thread, outside the queue and its limit; nothing is recorded. */
    CompletableFuture<Delivery> test(Notification notification) {
        CompletableFuture<Delivery> outcome = new CompletableFuture<>();
        tests.add(new TestSend(notification, outcome));
        wake();
        if (!running) {
            failTests();
        }
        return outcome;
    }

    /**
     * Stops the thread: wakes it, interrupts a send in progress (which then counts as a retry) and waits up to {@code wait}
     * for it to end.
     *
     * @return whether the thread has ended
     */
    boolean stop(Duration wait) throws InterruptedException {
        running = false;
        wake();
        synchronized (sendGuard) {
            if (sending) {
                thread.interrupt();
            }
        }
        thread.join(Math.max(1, wait.toMillis()));
        failTests();
        if (thread.isAlive()) {
            log.warn("channel {}: its send ignores interrupts and has not returned; its thread ends when it does",
                    name);
            return false;
        }
        return true;
    }

    boolean alive() {
        return thread.isAlive();
    }

    private void run() {
        while (running) {
            try {
                runTests();
                if (!running) {
                    break;
                }
                Ledger.Decision d = ledger.next(name, maxPerHour, clock.instant());
                if (d.send() != null) {
                    Delivery outcome = attempt(d.send().notification());
                    ledger.record(d.send(), outcome, clock.instant(), giveUpAfter.get());
                } else {
                    await(d.wakeAt());
                }
            } catch (InterruptedException e) {
                // stop() or a stray interrupt: the loop looks at running
            } catch (RuntimeException e) {
                log.error("channel {}: the outbox queue failed and goes on after a second: {}", name, e.toString(), e);
                pause();
            }
        }
    }

    private void runTests() {
        for (TestSend t = tests.poll(); t != null && running; t = tests.poll()) {
            t.outcome().complete(attempt(t.notification()));
        }
    }

    private void failTests() {
        for (TestSend t = tests.poll(); t != null; t = tests.poll()) {
            t.outcome().complete(Delivery.failed("channel " + name + " went away before the test was sent"));
        }
    }

    private void await(Instant until) throws InterruptedException {
        synchronized (monitor) {
            if (!woken && running && tests.isEmpty()) {
                long millis = until == null ? MAX_WAIT_MILLIS
                        : Math.max(1, Math.min(MAX_WAIT_MILLIS, Duration.between(clock.instant(), until).toMillis()));
                monitor.wait(millis);
            }
            woken = false;
        }
    }

    private void pause() {
        synchronized (monitor) {
            try {
                if (running) {
                    monitor.wait(1000);
                }
            } catch (InterruptedException e) {
                // running says whether to go on
            }
        }
    }

    /** One send, interrupted after the timeout or by {@link #stop}; never throws. */
    Delivery attempt(Notification n) {
        boolean[] timedOut = new boolean[1];
        synchronized (sendGuard) {
            sending = true;
        }
        ScheduledFuture<?> alarm = watchdog.schedule(() -> {
            synchronized (sendGuard) {
                if (sending) {
                    timedOut[0] = true;
                    thread.interrupt();
                }
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            Delivery d = channel.send(n);
            return d == null ? Delivery.retry("the channel reported no outcome") : d;
        } catch (InterruptedException e) {
            return Delivery.retry(timedOut(timedOut) ? noAnswer() : "interrupted: the channel is going away");
        } catch (Exception | LinkageError e) {
            if (timedOut(timedOut)) {
                return Delivery.retry(noAnswer() + " (" + e + ")");
            }
            log.warn("channel {}: sending {} threw {}", name, n.id(), e.toString());
            return Delivery.retry(e.toString());
        } finally {
            synchronized (sendGuard) {
                sending = false;
                // an interrupt meant for the send is spent; stop() is seen through running. Cleared, it cannot
                // reach the store's file channel, which an interrupt would close.
                Thread.interrupted();
            }
            alarm.cancel(false);
        }
    }

    private boolean timedOut(boolean[] flag) {
        synchronized (sendGuard) {
            return flag[0];
        }
    }

    private String noAnswer() {
        return "no answer within " + (timeout.toMillis() >= 1000 ? timeout.toSeconds() + " s" : timeout.toMillis()
                + " ms") + ": interrupted";
    }
}
