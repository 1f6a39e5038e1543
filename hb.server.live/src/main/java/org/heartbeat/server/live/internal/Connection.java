package org.heartbeat.server.live.internal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One open WebSocket: what it still has to send, at most {@code capacity} messages, and one message on the wire at
 * a time. A client that reads too slowly fills its queue: the queue is then dropped and the client gets a fresh
 * snapshot once it has taken the message in flight, so a slow page never holds back the others, nor grows the
 * server's memory, and never shows a state with a gap. The first message of every connection is a snapshot.
 *
 * <p>{@link #offer} is called by the {@link LiveHub}'s flush thread, {@link Sink} callbacks by Jetty's threads; the
 * state is guarded by this object's lock, and whichever thread finds nothing in flight sends the next message
 * (outside the lock). A failed send closes the connection ({@code onClosed} is told once).
 */
final class Connection {
    /** Where the text goes: a WebSocket session in hbd, a list in the tests. */
    interface Sink {
        /** Sends one text message; calls {@code done} once, with null when written or the failure. */
        void send(String text, Consumer<Throwable> done);

        /** Sends a ping, so that an idle connection stays open and a vanished peer is noticed. */
        default void ping() {
        }
    }

    private final Sink sink;
    private final Supplier<String> snapshot;
    private final Predicate<String> visible;
    private final int capacity;
    private final Consumer<Connection> onClosed;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private boolean resnapshot = true;
    private boolean sending;
    private boolean pumping;
    private boolean closed;
    private long resnapshots;

    /**
     * @param snapshot builds a snapshot message for this connection, when one is due (on the sending thread)
     * @param visible which hosts this connection may see; null for all
     */
    Connection(Sink sink, Supplier<String> snapshot, Predicate<String> visible, int capacity,
            Consumer<Connection> onClosed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a connection's queue needs room for at least 1 message, got "
                    + capacity);
        }
        this.sink = sink;
        this.snapshot = snapshot;
        this.visible = visible;
        this.capacity = capacity;
        this.onClosed = onClosed;
    }

    /** Sends the first snapshot. */
    void start() {
        pump();
    }

    /**
     * Queues a batch: {@code shared} (the updates written once for all who see every host), or those of
     * {@code updates} this connection may see, written for it alone (nothing when it may see none of them).
     */
    void offer(List<Views.Update> updates, String shared) {
        String message = shared;
        if (visible != null) {
            List<Views.Update> mine = updates.stream().filter(u -> u.host() != null && visible.test(u.host()))
                    .toList();
            if (mine.isEmpty()) {
                return;
            }
            message = Views.batch(mine);
        }
        synchronized (this) {
            if (closed || resnapshot) {
                // the snapshot still to come is newer than this batch
                return;
            }
            if (queue.size() >= capacity) {
                queue.clear();
                resnapshot = true;
                resnapshots++;
            } else {
                queue.add(message);
            }
        }
        pump();
    }

    /** How often this connection's queue overflowed and was replaced by a snapshot. */
    synchronized long resnapshots() {
        return resnapshots;
    }

    /** Messages waiting (the one in flight not counted). */
    synchronized int queued() {
        return queue.size();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Keeps a quiet connection open (the flush thread calls it every {@value LiveHub#PING_SECONDS} s). */
    void ping() {
        if (!isClosed()) {
            sink.ping();
        }
    }

    /** The client went away: nothing more is sent. */
    void close() {
        boolean first;
        synchronized (this) {
            first = !closed;
            closed = true;
            queue.clear();
        }
        if (first) {
            onClosed.accept(this);
        }
    }

    private void pump() {
        synchronized (this) {
            if (pumping) {
                return;
            }
            pumping = true;
        }
        while (true) {
            String next;
            boolean snap;
            synchronized (this) {
                if (sending || closed || !resnapshot && queue.isEmpty()) {
                    pumping = false;
                    return;
                }
                snap = resnapshot;
                resnapshot = false;
                next = snap ? null : queue.poll();
                sending = true;
            }
            try {
                if (snap) {
                    next = snapshot.get();
                }
                sink.send(next, this::sent);
            } catch (RuntimeException e) {
                synchronized (this) {
                    pumping = false;
                }
                close();
                throw e;
            }
        }
    }

    private void sent(Throwable failure) {
        synchronized (this) {
            sending = false;
        }
        if (failure != null) {
            close();
        } else {
            pump();
        }
    }
}
