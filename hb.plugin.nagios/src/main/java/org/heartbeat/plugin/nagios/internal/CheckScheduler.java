package org.heartbeat.plugin.nagios.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

import org.heartbeat.api.Metrics;

/**
 * Decides which checks run in a collection, runs them side by side, and keeps the latest result of each.
 *
 * <p>{@code hbc} calls {@link #collect()} every plugin interval. A check runs in the first collection and then in
 * each collection at least its interval after the one it last ran in (less a little slack, so that a 300 s check
 * in a 60 s plugin runs every fifth collection, not every sixth); meanwhile its previous result is reported, with
 * the time it ran. So the plugin's interval is the shortest cadence: a check interval shorter than it runs every
 * collection. A check with a configuration problem is reported UNKNOWN with the problem, every time, and the
 * others run.
 *
 * <p>When {@code hbc} interrupts a collection that took longer than the plugin's timeout, the checks still running
 * are killed and their previous results stay, so they run again in the next collection.
 */
final class CheckScheduler {
    private final NagiosConfig config;
    private final CheckRunner runner;
    private final ExecutorService pool;
    private final LongSupplier ticks;
    private final Map<String, CheckResult> latest = new ConcurrentHashMap<>();
    /** The collection ({@link #ticks}) at which each check last ran. */
    private final Map<String, Long> ranAt = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param config the checks
     * @param runner runs one check
     * @param pool runs the checks of a collection side by side; it needs a thread for each
     * @param ticks a monotonic clock in milliseconds, so that a wall clock set back delays no check
     */
    CheckScheduler(NagiosConfig config, CheckRunner runner, ExecutorService pool, LongSupplier ticks) {
        this.config = config;
        this.runner = runner;
        this.pool = pool;
        this.ticks = ticks;
    }

    /**
     * Runs the checks that are due and returns the latest result of each.
     *
     * @throws IllegalArgumentException when the configuration as a whole is wrong, for example lists no check
     * @throws InterruptedException when interrupted; the interrupt flag stays set, as {@code hbc} reads it to tell a
     *         timed-out collection
     */
    Metrics collect() throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("the nagios plugin has been stopped");
        }
        if (!config.problems().isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", config.problems()));
        }
        long now = ticks.getAsLong();
        Map<String, Future<CheckResult>> started = new LinkedHashMap<>();
        for (CheckSpec check : config.checks()) {
            if (!check.valid()) {
                latest.put(check.name(), CheckResult.notRun("invalid check configuration: " + check.problem()));
            } else if (due(check, now)) {
                started.put(check.name(), pool.submit(() -> runner.run(check)));
            }
        }
        try {
            for (Map.Entry<String, Future<CheckResult>> e : started.entrySet()) {
                CheckResult result = outcome(e.getValue());
                latest.put(e.getKey(), result);
                ranAt.put(e.getKey(), now);
            }
        } catch (InterruptedException e) {
            started.forEach((name, run) -> {
                if (!run.cancel(true) && !run.isCancelled()) {
                    keep(name, run, now); // it had finished: no need to run it again
                }
            });
            Thread.currentThread().interrupt();
            throw e;
        }
        return NagiosTree.build(config.checks(), latest);
    }

    private boolean due(CheckSpec check, long now) {
        Long last = ranAt.get(check.name());
        long slack = Math.min(1000, config.intervalMillis() / 2);
        return last == null || now - last >= check.intervalMillis() - slack;
    }

    private static CheckResult outcome(Future<CheckResult> run) throws InterruptedException {
        try {
            return run.get();
        } catch (ExecutionException e) {
            return CheckResult.notRun("the check could not be run: " + e.getCause());
        }
    }

    /** Records the outcome of a run that has finished. */
    private void keep(String name, Future<CheckResult> run, long now) {
        try {
            latest.put(name, outcome(run));
            ranAt.put(name, now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // cannot happen: the run is done
        }
    }

    /** Kills the running checks; {@link #collect()} fails from now on. */
    void close() {
        closed = true;
        pool.shutdownNow();
        runner.killAll();
    }
}
