package org.heartbeat.server.internal.host;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A clock for tests: it stands still until told to move; wall and monotonic time move together. */
final class ManualTicker implements Ticker {
    static final long START_WALL_MILLIS = Instant.parse("2025-11-26T00:00:00.123Z").toEpochMilli();
    static final long START_NANOS = 5_000_000_000_000L;

    private final AtomicLong wallMillis;
    private final AtomicLong nanos;

    ManualTicker() {
        this(START_WALL_MILLIS, START_NANOS);
    }

    ManualTicker(long wallMillis, long nanos) {
        this.wallMillis = new AtomicLong(wallMillis);
        this.nanos = new AtomicLong(nanos);
    }

    /**
     * Moves both clocks. The wall clock moves first, so a thread that sees the new monotonic time also sees
     * the new wall time.
     */
    void advance(Duration d) {
        wallMillis.addAndGet(d.toMillis());
        nanos.addAndGet(d.toNanos());
    }

    @Override
    public long wallMillis() {
        return wallMillis.get();
    }

    @Override
    public long nanos() {
        return nanos.get();
    }
}
