package org.heartbeat.server.live.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Limits handshakes that carry credentials on {@code ws_port}, per client address, before any password hash is
 * computed: the rule of the API's login limit on {@code hbd_port} (docs/USERS.md), which this bundle cannot share
 * since the bundles share only the server API. A bucket per address holds {@value #BURST} attempts and refills by one
 * every {@value #REFILL_SECONDS} s; a failure takes one, a success none. So a client with the right token is never
 * held back, while a guesser gets {@value #BURST} tries and then one every {@value #REFILL_SECONDS} s, and cannot
 * make hbd compute a slow password hash more often than that.
 *
 * <p>At most {@value #MAX_BUCKETS} addresses are kept; full buckets are dropped first, and when that is not enough
 * new addresses are refused until some are (it fails closed). Thread-safe; time comes from the given nano clock.
 */
final class Attempts {
    static final int BURST = 5;
    static final int REFILL_SECONDS = 12;
    static final int MAX_BUCKETS = 10_000;
    private static final long REFILL_NANOS = REFILL_SECONDS * 1_000_000_000L;

    private final LongSupplier nanos;
    private final Map<String, Bucket> buckets = new HashMap<>();

    private static final class Bucket {
        double tokens = BURST;
        long at;

        Bucket(long at) {
            this.at = at;
        }

        double refill(long now) {
            tokens = Math.min(BURST, tokens + (now - at) / (double) REFILL_NANOS);
            at = now;
            return tokens;
        }
    }

    Attempts(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** 0 when an address may try credentials now, else the seconds until it may (for {@code Retry-After}). */
    synchronized int wait(String address) {
        Bucket b = bucket(address, nanos.getAsLong());
        if (b == null) {
            return REFILL_SECONDS;
        }
        return b.tokens >= 1 ? 0 : (int) Math.ceil((1 - b.tokens) * REFILL_SECONDS);
    }

    /** A failed attempt of an address. */
    synchronized void failed(String address) {
        Bucket b = bucket(address, nanos.getAsLong());
        if (b != null) {
            b.tokens = Math.max(0, b.tokens - 1);
        }
    }

    private Bucket bucket(String address, long now) {
        Bucket b = buckets.get(address);
        if (b != null) {
            b.refill(now);
            return b;
        }
        if (buckets.size() >= MAX_BUCKETS) {
            buckets.values().removeIf(x -> x.refill(now) >= BURST);
            if (buckets.size() >= MAX_BUCKETS) {
                return null;
            }
        }
        b = new Bucket(now);
        buckets.put(address, b);
        return b;
    }

    synchronized int size() {
        return buckets.size();
    }
}
