package org.heartbeat.server.internal.host;

/** The two clocks the server reads: wall time for what people see, monotonic time for deadlines. */
public interface Ticker {
    /** Milliseconds since the Unix epoch. */
    long wallMillis();

    /** A monotonic nanosecond count with an arbitrary origin. */
    long nanos();

    Ticker SYSTEM = new Ticker() {
        @Override
        public long wallMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanos() {
            return System.nanoTime();
        }
    };
}
