package org.heartbeat.server.outbox.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long a failed try waits before the next: exponential with "equal jitter". After the n-th failed try the
 * ceiling is {@code min(cap, base * 2^(n-1))} and the wait is drawn evenly from the upper half of it, so with the
 * defaults (10 s base, 30 min cap) 5-10 s, 10-20 s, 20-40 s, ... up to 15-30 min. The jitter spreads channels and
 * servers that failed together; the floor of half the ceiling keeps the waits growing, which full jitter does not
 * promise. A service's own delay ({@code Retry-After}) is honoured: the wait is at least that, but at most
 * {@code maxRetryAfter}, so a service that asks for days cannot outlast {@code give_up_after} unnoticed.
 *
 * @param base the ceiling after the first failed try
 * @param cap the highest ceiling
 * @param maxRetryAfter the longest a service's own delay is honoured
 * @param random values in [0, 1)
 */
record Backoff(Duration base, Duration cap, Duration maxRetryAfter, DoubleSupplier random) {
    static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(30), Duration.ofHours(1),
            () -> ThreadLocalRandom.current().nextDouble());

    Backoff {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0 || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap and maxRetryAfter >= 0: " + base + ", "
                    + cap + ", " + maxRetryAfter);
        }
    }

    /** The ceiling of the wait after {@code failures} failed tries in a row (at least 1). */
    Duration ceiling(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 40));
        long millis = base.toMillis();
        long capMillis = cap.toMillis();
        for (int i = 0; i < doublings && millis < capMillis; i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, capMillis));
    }

    /** The wait after {@code failures} failed tries in a row, and what the service asked for, if it did. */
    Duration delay(int failures, Optional<Duration> retryAfter) {
        long ceiling = ceiling(failures).toMillis();
        long half = ceiling / 2;
        long jittered = half + (long) (random.getAsDouble() * (ceiling - half));
        long asked = retryAfter.map(d -> Math.min(d.toMillis(), maxRetryAfter.toMillis())).orElse(0L);
        return Duration.ofMillis(Math.max(jittered, asked));
    }
}
