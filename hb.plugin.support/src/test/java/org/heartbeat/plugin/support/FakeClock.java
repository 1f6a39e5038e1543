package org.heartbeat.plugin.support;

import java.util.ArrayList;
import java.util.List;

/**
 * A clock that moves only when told to or when someone sleeps on it; it records the sleeps. A test fixture of the
 * plugins' unit tests (this module's test-jar).
 */
public final class FakeClock implements Clock {
    public final List<Long> sleeps = new ArrayList<>();
    private long nanos = 1_000_000_000L;
    private boolean interruptNextSleep;

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public void sleep(long n) throws InterruptedException {
        sleeps.add(n);
        if (interruptNextSleep) {
            interruptNextSleep = false;
            nanos += n / 3;
            throw new InterruptedException("timeout");
        }
        nanos += n;
    }

    public void advanceMillis(long millis) {
        nanos += millis * 1_000_000;
    }

    public void interruptNextSleep() {
        interruptNextSleep = true;
    }
}
