package org.heartbeat.server.internal.host;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One thread that sleeps until the earliest host deadline and then asks what to do, so an overdue host is
 * noticed within a millisecond or so of its deadline with no polling. A heartbeat only moves a host's
 * deadline later, which costs nothing here: when the old deadline comes, {@link Expiry#expire} finds the
 * new one and the host is queued again. Only a deadline moved earlier needs a new entry.
 */
final class DeadlineTimer implements AutoCloseable {

    /** Decides what an expired entry means. */
    interface Expiry {
        /**
         * Called on the timer thread when an entry for {@code host} queued at {@code at} comes due.
         *
         * @return when to look at the host again (monotonic nanos), or {@link HostState#NOT_SCHEDULED}
         */
        long expire(HostState host, long at, long nowNanos);
    }

    private record Entry(long at, HostState host) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            return Long.compare(at, o.at);
        }
    }

    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Ticker ticker;
    private final Expiry expiry;
    private final Consumer<RuntimeException> onError;
    private final Thread thread;
    private volatile boolean closed;

    DeadlineTimer(Ticker ticker, Expiry expiry, Consumer<RuntimeException> onError, String name) {
        this.ticker = ticker;
        this.expiry = expiry;
        this.onError = onError;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a look at {@code host} at {@code atNanos}. */
    void schedule(HostState host, long atNanos) {
        lock.lock();
        try {
            queue.add(new Entry(atNanos, host));
            if (queue.peek().host == host && queue.peek().at == atNanos) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Entries queued; stale ones included. */
    int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the thread to look at the queue now; for tests, whose clock jumps. */
    void poke() {
        lock.lock();
        try {
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (!closed) {
            Entry due;
            lock.lock();
            try {
                Entry head = queue.peek();
                long now = ticker.nanos();
                if (head == null) {
                    changed.await();
                    continue;
                }
                if (head.at - now > 0) {
                    changed.awaitNanos(head.at - now);
                    continue;
                }
                due = queue.poll();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            long next;
            try {
                next = expiry.expire(due.host, due.at, ticker.nanos());
            } catch (RuntimeException e) {
                onError.accept(e);
                next = HostState.NOT_SCHEDULED;
            } catch (LinkageError | AssertionError e) {
                // a broken class or assertion must not end the thread every host's deadline depends on
                onError.accept(new IllegalStateException(e));
                next = HostState.NOT_SCHEDULED;
            }
            if (next != HostState.NOT_SCHEDULED) {
                schedule(due.host, next);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
