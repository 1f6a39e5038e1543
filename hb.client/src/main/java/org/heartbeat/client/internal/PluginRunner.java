package org.heartbeat.client.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.heartbeat.api.MetricSource;
import org.heartbeat.api.Metrics;
import org.osgi.service.log.Logger;

/**
 * The schedule of one plugin service. Each collection runs on a new daemon thread named
 * {@code hbc-plugin-NAME}, and a plugin never has more than one such thread alive, so a misbehaving plugin
 * costs at most one thread:
 * <ul>
 * <li>a collection still running when the next is due makes that next one skipped, and reported;</li>
 * <li>a collection running past its timeout is interrupted and reported; its result, should it come, is
 * dropped;</li>
 * <li>one that ignores the interrupt is abandoned (its thread is renamed {@code hbc-plugin-NAME-abandoned}
 * and nobody waits for it), and the collections due while it still runs are skipped and reported.</li>
 * </ul>
 * Ticks and timeouts run on the shared {@code clock}, which never waits for a plugin's {@code collect()} (at
 * most for a datagram of the same plugin being sent). Once {@link #stop()} has returned, the runner sends
 * nothing more.
 */
final class PluginRunner {
    /**
     * How long an interrupted collection may take to end before it counts as ignoring the interrupt: a tick
     * due soon after a timeout (a short interval, or a timeout set close to it) must not call a plugin that is
     * just unwinding abandoned.
     */
    static final long INTERRUPT_GRACE_MILLIS = 1000;

    /**
     * Where a collection is. Who leaves RUNNING first wins: the plugin returning (SENDING, then DONE once
     * its result is sent), the timeout (TIMED_OUT) or {@link #stop()} (STOPPED).
     */
    private enum State { RUNNING, SENDING, DONE, TIMED_OUT, STOPPED }

    /** One collection and its thread. */
    private static final class Run {
        final Thread thread;
        final long startNanos = System.nanoTime();
        final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
        volatile ScheduledFuture<?> deadline;
        long timedOutNanos;
        boolean abandoned;

        Run(PluginRunner runner) {
            thread = new Thread(() -> runner.collect(this), "hbc-plugin-" + runner.name);
            thread.setDaemon(true);
            // libraries that find their providers through the context class loader should see the plugin's
            thread.setContextClassLoader(runner.source.getClass().getClassLoader());
        }
    }

    private final String name;
    private final long serviceId;
    private final String bundle;
    private final MetricSource source;
    private final PluginSink sink;
    private final Logger log;
    private final ScheduledExecutorService clock;
    /** Held while sending and while stopping, so that nothing is sent once stop() has returned. */
    private final Object sendLock = new Object();
    private volatile long intervalMillis;
    private volatile long timeoutMillis;
    private volatile boolean stopped;
    private ScheduledFuture<?> ticks;
    private Run current;

    /** @param bundle the plugin's bundle, "symbolic-name version", for messages */
    PluginRunner(String name, long serviceId, String bundle, MetricSource source, long intervalMillis,
            long timeoutMillis, PluginSink sink, Logger log, ScheduledExecutorService clock) {
        this.name = name;
        this.serviceId = serviceId;
        this.bundle = bundle;
        this.source = source;
        this.intervalMillis = intervalMillis;
        this.timeoutMillis = timeoutMillis;
        this.sink = sink;
        this.log = log;
        this.clock = clock;
    }

    long serviceId() {
        return serviceId;
    }

    String name() {
        return name;
    }

    String bundle() {
        return bundle;
    }

    /** Collects at once, then every interval. */
    synchronized void start() {
        ticks = clock.scheduleAtFixedRate(this::tick, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes a new interval and timeout. The next collection is due one new interval after the last one
     * started (at once if that is past), so a shorter interval takes effect without waiting out the old one.
     *
     * @return whether anything changed
     */
    synchronized boolean reschedule(long newIntervalMillis, long newTimeoutMillis) {
        if (stopped || newIntervalMillis == intervalMillis && newTimeoutMillis == timeoutMillis) {
            return false;
        }
        intervalMillis = newIntervalMillis;
        timeoutMillis = newTimeoutMillis;
        ticks.cancel(false);
        long delay = current == null ? 0
                : Math.max(0, newIntervalMillis - (System.nanoTime() - current.startNanos) / 1_000_000);
        ticks = clock.scheduleAtFixedRate(this::tick, delay, newIntervalMillis, TimeUnit.MILLISECONDS);
        return true;
    }

    private synchronized void tick() {
        if (stopped) {
            return;
        }
        Run previous = current;
        if (previous != null && previous.state.get() != State.DONE && previous.thread.isAlive()) {
            skip(previous);
            return;
        }
        Run run = new Run(this);
        run.deadline = clock.schedule(() -> timeOut(run), timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            run.thread.start();
            current = run;
        } catch (OutOfMemoryError e) {
            // no thread to be had ("unable to create native thread"); throwing would end this schedule for good
            run.deadline.cancel(false);
            log.error("plugin {}: cannot start a collection thread: {}", name, e.toString());
        }
    }

    /** On the run's own thread. */
    private void collect(Run run) {
        Metrics metrics = null;
        Throwable failure = null;
        try {
            metrics = source.collect();
        } catch (Throwable t) {
            failure = t;
        }
        if (!run.state.compareAndSet(State.RUNNING, State.SENDING)) {
            log.debug("plugin {}: the result of a collection that was timed out or stopped is dropped", name);
            return;
        }
        run.deadline.cancel(false);
        try {
            if (failure != null) {
                report(describe(failure));
            } else if (metrics == null) {
                report("collect() returned null");
            } else {
                send(metrics);
            }
        } finally {
            run.state.set(State.DONE);
        }
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getName()
                : t.getClass().getSimpleName() + ": " + message;
    }

    /** On the clock, holding this runner's lock. */
    private void skip(Run previous) {
        long runningFor = (System.nanoTime() - previous.startNanos) / 1_000_000;
        long sinceInterrupt = (System.nanoTime() - previous.timedOutNanos) / 1_000_000;
        if (previous.state.get() != State.TIMED_OUT) {
            report("the previous collection, started " + seconds(runningFor) + " ago, is still running; this one is skipped");
        } else if (sinceInterrupt < INTERRUPT_GRACE_MILLIS) {
            report("the previous collection timed out and is still ending; this one is skipped");
        } else if (!previous.abandoned) {
            previous.abandoned = true;
            previous.thread.setName(previous.thread.getName() + "-abandoned");
            report("the collection that timed out " + seconds(sinceInterrupt) + " ago ignores the interrupt and is "
                    + "still running; its thread is abandoned, and collections are skipped until it ends");
        } else {
            report("an abandoned collection, started " + seconds(runningFor) + " ago, is still running; "
                    + "this one is skipped");
        }
    }

    /** On the clock. */
    private void timeOut(Run run) {
        synchronized (this) {
            run.timedOutNanos = System.nanoTime();
            if (!run.state.compareAndSet(State.RUNNING, State.TIMED_OUT)) {
                return;
            }
        }
        run.thread.interrupt();
        report("collection timed out after " + seconds(timeoutMillis) + " and was interrupted");
    }

    private void send(Metrics metrics) {
        synchronized (sendLock) {
            if (stopped) {
                return;
            }
            try {
                sink.sendPluginSample(name, intervalMillis, metrics.asMap());
                log.debug("plugin {}: sent {} values", name, metrics.leaves().size());
                return;
            } catch (IllegalArgumentException e) {
                reportLocked("the values cannot be sent: " + e.getMessage());
            } catch (RuntimeException e) {
                log.error("plugin {}: sending its values failed", name, e);
            }
        }
    }

    private void report(String message) {
        synchronized (sendLock) {
            if (!stopped) {
                reportLocked(message);
            }
        }
    }

    private void reportLocked(String message) {
        log.warn("plugin {}: {}", name, message);
        try {
            sink.sendPluginError(name, intervalMillis, message);
        } catch (RuntimeException e) {
            log.error("plugin {}: reporting its failure failed", name, e);
        }
    }

    /**
     * Stops collecting: cancels the schedule and interrupts a collection in progress without waiting for
     * it. Nothing is sent after this returns.
     *
     * @return the thread of the collection that was still in progress, now interrupted; null when there was none
     */
    Thread stop() {
        synchronized (sendLock) {
            stopped = true;
        }
        synchronized (this) {
            if (ticks != null) {
                ticks.cancel(false);
            }
            Run run = current;
            if (run != null && (run.state.compareAndSet(State.RUNNING, State.STOPPED)
                    || run.state.get() == State.TIMED_OUT)) {
                run.deadline.cancel(false);
                run.thread.interrupt();
                return run.thread;
            }
            return null;
        }
    }

    static String seconds(long millis) {
        return (millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0)) + " s";
    }
}
