package org.heartbeat.plugin.support;

import java.util.concurrent.TimeUnit;

/** A plugin's time source: {@link #SYSTEM} in the runtime, a hand-moved one in tests. */
public interface Clock {
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
