package org.heartbeat.plugin.support;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Two readings of a plugin's counters, so that it can report rates or percentages between them. The counters
 * are first read when the window is made (at the plugin's activation); the first {@link #next()} waits until at
 * least {@link #FIRST_WINDOW} has passed since then, but at most half the collection's timeout, so that even the
 * first sample measures over a useful window. Later calls measure from the previous reading and do not wait.
 *
 * <pre>{@code
 * SampleWindow<CpuSample> window = new SampleWindow<>(source::sample, CpuSample::nanos, clock,
 *         config.timeout(), config.interval());
 * ...
 * SampleWindow.Pair<CpuSample> p = window.next();   // in collect()
 * return CpuTree.build(p.before(), p.now(), ...);
 * }</pre>
 *
 * @param <S> a reading of the counters, stamped with {@link Clock#nanoTime()}
 */
public final class SampleWindow<S> {
    /** The shortest window the first collection measures over. */
    public static final Duration FIRST_WINDOW = Duration.ofMillis(500);

    /** The reading before and the reading now. */
    public record Pair<S>(S before, S now) {
    }

    private final Supplier<S> read;
    private final ToLongFunction<S> nanosOf;
    private final Clock clock;
    private final long maxFirstWaitNanos;
    private S previous;
    private boolean first = true;

    /**
     * Reads the counters once. Should that fail with a {@link RuntimeException}, the first {@link #next()} reads
     * again, and fails in turn if the failure persists.
     *
     * @param read reads the counters
     * @param nanosOf when a reading was made, on {@code clock}
     * @param timeoutSeconds the plugin's configured timeout; 0 or less when not configured
     * @param intervalSeconds the plugin's configured interval; 0 or less when not configured
     */
    public SampleWindow(Supplier<S> read, ToLongFunction<S> nanosOf, Clock clock, double timeoutSeconds,
            double intervalSeconds) {
        this.read = read;
        this.nanosOf = nanosOf;
        this.clock = clock;
        this.maxFirstWaitNanos = maxFirstWaitNanos(timeoutSeconds, intervalSeconds);
        S atStart = null;
        try {
            atStart = read.get();
        } catch (RuntimeException e) {
            // the first collection reads again, and reports the failure if it persists
        }
        this.previous = atStart;
    }

    /**
     * The previous reading and a new one.
     *
     * @throws InterruptedException when the first call is interrupted while it waits for its window; the next
     *         call is a first call again, which waits only for what is left of the window
     */
    public synchronized Pair<S> next() throws InterruptedException {
        S before = previous != null ? previous : read.get();
        if (first) {
            long wait = Math.min(FIRST_WINDOW.toNanos() - (clock.nanoTime() - nanosOf.applyAsLong(before)),
                    maxFirstWaitNanos);
            if (wait > 0) {
                clock.sleep(wait);
            }
        }
        S now = read.get();
        previous = now;
        first = false;
        return new Pair<>(before, now);
    }

    /** How long the first collection may wait for its window: half the timeout that applies. */
    static long maxFirstWaitNanos(double timeoutSeconds, double intervalSeconds) {
        return (long) (PluginDefaults.effectiveTimeout(timeoutSeconds, intervalSeconds) / 2 * 1e9);
    }
}
