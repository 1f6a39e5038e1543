package org.heartbeat.server.http.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Limits attempts to authenticate, per client address and per user name, before any password hash is computed: a
 * token bucket each, holding {@link #BURST} attempts and refilled by one every {@link #REFILL_SECONDS} s. An attempt
 * takes one from both buckets of its address and name; a success gives them back, so a script with the right
 * password is never held back, while a guesser gets {@value #BURST} tries and then one every
 * {@value #REFILL_SECONDS} s. A name under attack is thereby limited for its owner too, from every address, until
 * the guessing stops: docs/USERS.md says so.
 *
 * <p>At most {@value #MAX_BUCKETS} buckets are kept; buckets that have filled up again are dropped first, and when
 * that is not enough, new attempts are refused until some are: under a flood from very many addresses it fails
 * closed. Thread-safe (one lock; each call is a few map operations). Time comes from the given nano clock.
 */
final class LoginLimiter {
    static final int BURST = 5;
    static final int REFILL_SECONDS = 12;
    static final int MAX_BUCKETS = 10_000;
    private static final long REFILL_NANOS = REFILL_SECONDS * 1_000_000_000L;

    private final LongSupplier nanos;
    private final Map<String, Bucket> buckets = new HashMap<>();

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        void refill(long now) {
            tokens = Math.min(BURST, tokens + (now - at) / (double) REFILL_NANOS);
            at = now;
        }
    }

    LoginLimiter(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /**
     * Takes an attempt for an address and, when given, a user name.
     *
     * @return 0 when the attempt may go ahead, else the seconds until it may (for {@code Retry-After})
     */
    synchronized int acquire(String address, String user) {
        long now = nanos.getAsLong();
        Bucket a = bucket("a " + address, now);
        Bucket u = user == null ? null : bucket("u " + user, now);
        if (a == null || u == null && user != null) {
            return REFILL_SECONDS;
        }
        double lowest = Math.min(a.tokens, u == null ? BURST : u.tokens);
        if (lowest < 1) {
            return (int) Math.ceil((1 - lowest) * REFILL_SECONDS);
        }
        a.tokens--;
        if (u != null) {
            u.tokens--;
        }
        return 0;
    }

    /** Gives back the attempt of a success. */
    synchronized void release(String address, String user) {
        give("a " + address);
        if (user != null) {
            give("u " + user);
        }
    }

    private void give(String key) {
        Bucket b = buckets.get(key);
        if (b != null) {
            b.tokens = Math.min(BURST, b.tokens + 1);
        }
    }

    private Bucket bucket(String key, long now) {
        Bucket b = buckets.get(key);
        if (b == null) {
            if (buckets.size() >= MAX_BUCKETS) {
                buckets.values().removeIf(x -> {
                    x.refill(now);
                    return x.tokens >= BURST;
                });
                if (buckets.size() >= MAX_BUCKETS) {
                    return null;
                }
            }
            b = new Bucket(BURST, now);
            buckets.put(key, b);
        } else {
            b.refill(now);
        }
        return b;
    }

    synchronized int size() {
        return buckets.size();
    }
}
