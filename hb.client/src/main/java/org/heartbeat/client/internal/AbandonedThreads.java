package org.heartbeat.client.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.osgi.service.log.Logger;

/**
 * The collection threads of plugins that were stopped (their bundle removed or updated, their configuration
 * deleted) while a collection that ignores interrupts was still running. Such a thread goes on running the old
 * bundle's code and cannot be stopped from outside; all the client can do is say so. {@link #check()} warns, once
 * a thread has had {@code grace} to end after its interrupt, naming the plugin and its bundle, and again every
 * {@code repeat} while the thread is alive; it says when the thread finally ends.
 *
 * <pre>{@code
 * WARN plugin probe (bundle com.example.probe 1.0.0) was stopped 1 s ago, but its collection thread
 *      hbc-plugin-probe-abandoned ignores the interrupt and still runs that bundle's code; ...
 * INFO plugin probe (bundle com.example.probe 1.0.0): its abandoned collection thread ended after 73 s
 * }</pre>
 */
final class AbandonedThreads {
    /** What the name of an abandoned collection thread ends with, as in thread dumps. */
    static final String ABANDONED = "-abandoned";

    /** One thread being watched. */
    private static final class Watched {
        final String plugin;
        final String bundle;
        final Thread thread;
        final long sinceNanos;
        long nextWarningNanos;
        boolean warned;

        Watched(String plugin, String bundle, Thread thread, long sinceNanos, long nextWarningNanos) {
            this.plugin = plugin;
            this.bundle = bundle;
            this.thread = thread;
            this.sinceNanos = sinceNanos;
            this.nextWarningNanos = nextWarningNanos;
        }
    }

    private final Logger log;
    private final LongSupplier nanoTime;
    private final long graceNanos;
    private final long repeatNanos;
    private final List<Watched> watched = new ArrayList<>();

    AbandonedThreads(Logger log, LongSupplier nanoTime, Duration grace, Duration repeat) {
        this.log = log;
        this.nanoTime = nanoTime;
        this.graceNanos = grace.toNanos();
        this.repeatNanos = repeat.toNanos();
    }

    /** Watches the collection thread of a plugin that has just been stopped and its thread interrupted. */
    synchronized void watch(String plugin, String bundle, Thread thread) {
        long now = nanoTime.getAsLong();
        watched.add(new Watched(plugin, bundle, thread, now, now + graceNanos));
    }

    /** Whether a thread is still watched: {@link #check()} is worth calling. */
    synchronized boolean any() {
        return !watched.isEmpty();
    }

    /** Warns about the threads still alive whose warning is due, and reports those that ended. */
    synchronized void check() {
        long now = nanoTime.getAsLong();
        for (var it = watched.iterator(); it.hasNext();) {
            Watched w = it.next();
            if (!w.thread.isAlive()) {
                it.remove();
                if (w.warned) {
                    log.info("plugin {} (bundle {}): its abandoned collection thread {} ended after {}", w.plugin,
                            w.bundle, w.thread.getName(), PluginRunner.seconds((now - w.sinceNanos) / 1_000_000));
                }
            } else if (now - w.nextWarningNanos >= 0) {
                if (!w.warned && !w.thread.getName().endsWith(ABANDONED)) {
                    w.thread.setName(w.thread.getName() + ABANDONED);
                }
                w.warned = true;
                w.nextWarningNanos = now + repeatNanos;
                log.warn("plugin {} (bundle {}) was stopped {} ago, but its collection thread {} ignores the interrupt"
                        + " and still runs that bundle's code; it cannot be stopped and ends only when collect()"
                        + " returns (reminder every {})", w.plugin, w.bundle,
                        PluginRunner.seconds((now - w.sinceNanos) / 1_000_000), w.thread.getName(),
                        PluginRunner.seconds(repeatNanos / 1_000_000));
            }
        }
    }
}
