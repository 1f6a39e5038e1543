package org.heartbeat.server.api.plugin;

import java.time.Instant;
import java.util.Objects;

/**
 * One point of a metric's history: a sample as it arrived, or several combined (older history is kept at a
 * coarser resolution, and a query may ask for steps) into their count-weighted average with minimum and maximum.
 * Immutable.
 */
public final class HistoryPoint {
    private final Instant time;
    private final double value;
    private final double min;
    private final double max;
    private final long count;

    /** A point for one sample. */
    public static HistoryPoint of(Instant time, double value) {
        return new HistoryPoint(time, value, value, value, 1);
    }

    /**
     * @param time the sample's time, or the start of the step the point covers
     * @param value the value, or the average of the values combined
     * @param min the smallest value combined
     * @param max the largest value combined
     * @param count how many samples it combines, at least 1
     */
    public HistoryPoint(Instant time, double value, double min, double max, long count) {
        if (count < 1) {
            throw new IllegalArgumentException("a point combines at least one sample, got " + count);
        }
        this.time = Objects.requireNonNull(time, "time");
        this.value = value;
        this.min = min;
        this.max = max;
        this.count = count;
    }

    public Instant time() {
        return time;
    }

    public double value() {
        return value;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public long count() {
        return count;
    }

    /** Whether it combines several samples (or one reduced sample whose minimum and maximum differ from it). */
    public boolean combined() {
        return count > 1 || min != value || max != value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HistoryPoint p && p.time.equals(time) && Double.compare(p.value, value) == 0
                && Double.compare(p.min, min) == 0 && Double.compare(p.max, max) == 0 && p.count == count;
    }

    @Override
    public int hashCode() {
        return Objects.hash(time, value, count);
    }

    @Override
    public String toString() {
        return time + "=" + value + (combined() ? " [" + min + ".." + max + " x" + count + "]" : "");
    }
}
