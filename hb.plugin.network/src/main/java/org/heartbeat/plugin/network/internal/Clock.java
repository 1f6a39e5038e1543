package org.heartbeat.plugin.network.internal;

import java.util.concurrent.TimeUnit;

/** The time source of {@link NetworkMonitor}: {@link #SYSTEM} in the runtime, a hand-moved one in tests. */
interface Clock {
    /** {@link System#nanoTime()} and {@link Thread#sleep}. */
    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    };

    long nanoTime();

    /** Waits {@code nanos}; throws when the thread is interrupted, as {@code hbc} does on a timeout. */
    void sleep(long nanos) throws InterruptedException;
}
