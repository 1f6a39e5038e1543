package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LoginLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final LoginLimiter limiter = new LoginLimiter(now::get);

    private void advanceSeconds(double s) {
        now.addAndGet((long) (s * 1e9));
    }

    @Test
    void aGuesserGetsABurstThenOneAttemptPerRefill() {
        for (int i = 0; i < LoginLimiter.BURST; i++) {
            assertThat(limiter.acquire("10.0.0.1", "alice")).isZero();
        }
        assertThat(limiter.acquire("10.0.0.1", "alice")).isEqualTo(LoginLimiter.REFILL_SECONDS);
        advanceSeconds(LoginLimiter.REFILL_SECONDS / 2.0);
        assertThat(limiter.acquire("10.0.0.1", "alice")).isEqualTo(LoginLimiter.REFILL_SECONDS / 2);
        advanceSeconds(LoginLimiter.REFILL_SECONDS / 2.0);
        assertThat(limiter.acquire("10.0.0.1", "alice")).isZero();
        assertThat(limiter.acquire("10.0.0.1", "alice")).isPositive();
    }

    @Test
    void successesGiveTheirAttemptBack() {
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.acquire("10.0.0.1", "alice")).isZero();
            limiter.release("10.0.0.1", "alice");
        }
    }

    @Test
    void addressAndNameAreLimitedEachOnTheirOwn() {
        for (int i = 0; i < LoginLimiter.BURST; i++) {
            assertThat(limiter.acquire("10.0.0." + i, "alice")).as("one name from many addresses").isZero();
        }
        assertThat(limiter.acquire("10.0.0.99", "alice")).isPositive();
        assertThat(limiter.acquire("10.0.0.99", "bob")).as("another name from a fresh address").isZero();
        for (int i = 0; i < LoginLimiter.BURST - 1; i++) {
            assertThat(limiter.acquire("10.0.0.99", "user" + i)).isZero();
        }
        assertThat(limiter.acquire("10.0.0.99", "carol")).as("one address trying many names").isPositive();
        assertThat(limiter.acquire("10.0.0.99", null)).as("tokens count against the address").isPositive();
    }

    @Test
    void bucketsAreBoundedAndRefilledOnesDroppedFirst() {
        for (int i = 0; i < LoginLimiter.MAX_BUCKETS; i++) {
            assertThat(limiter.acquire("a" + i, null)).isZero();
        }
        assertThat(limiter.size()).isEqualTo(LoginLimiter.MAX_BUCKETS);
        assertThat(limiter.acquire("new", null)).as("full: fails closed").isPositive();
        advanceSeconds(LoginLimiter.REFILL_SECONDS);
        assertThat(limiter.acquire("new", null)).as("refilled buckets make room").isZero();
        assertThat(limiter.size()).isEqualTo(1);
    }
}
