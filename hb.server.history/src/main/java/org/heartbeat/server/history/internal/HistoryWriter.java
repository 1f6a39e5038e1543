package org.heartbeat.server.history.internal;

import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one thread that writes the {@link HistoryStore} ({@code hbd-history}), and the queues that feed it.
 *
 * <p>Samples wait in a bounded queue: when it is full, {@link #submit} says so at once rather than make the
 * caller wait for the disk. What must not be lost (forgetting a host, switching files) goes through
 * {@link #control}, which only ever holds a few tasks and runs them before the next sample. Between tasks, and
 * at least once a second, the thread does the housekeeping it was given (reduction and retention).
 */
final class HistoryWriter {
    private static final Consumer<HistoryStore> NOTHING = s -> { };

    private final BlockingQueue<Consumer<HistoryStore>> samples;
    private final Queue<Consumer<HistoryStore>> control = new ConcurrentLinkedQueue<>();
    private final Consumer<HistoryStore> housekeeping;
    private final Consumer<RuntimeException> failed;
    private final Thread thread;
    private volatile HistoryStore store;
    private volatile boolean running = true;

    /**
     * @param failed told of a task or housekeeping that threw; the thread goes on with the next
     */
    HistoryWriter(HistoryStore store, int capacity, Consumer<HistoryStore> housekeeping,
            Consumer<RuntimeException> failed) {
        this.store = store;
        this.samples = new ArrayBlockingQueue<>(capacity);
        this.housekeeping = housekeeping;
        this.failed = failed;
        this.thread = new Thread(this::run, "hbd-history");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The store written now; readers may use it from any thread. */
    HistoryStore store() {
        return store;
    }

    /**
     * Queues a write, without waiting.
     *
     * @return false when the queue is full: the task is dropped
     */
    boolean submit(Consumer<HistoryStore> task) {
        return samples.offer(task);
    }

    /** Queues a task that is never dropped; it runs before the next queued sample. */
    void control(Consumer<HistoryStore> task) {
        control.add(task);
        samples.offer(NOTHING); // wakes the thread; when the queue is full, the thread is busy anyway
    }

    /** Switches to the store {@code next} opens, closing the current one, then hands the new one to {@code then}. */
    void switchTo(Supplier<HistoryStore> next, Consumer<HistoryStore> then) {
        control(current -> {
            HistoryStore opened = next.get();
            store = opened;
            current.close();
            then.accept(opened);
        });
    }

    /** How many samples wait. */
    int queued() {
        return samples.size();
    }

    private void run() {
        while (running || !samples.isEmpty() || !control.isEmpty()) {
            try {
                for (Consumer<HistoryStore> c = control.poll(); c != null; c = control.poll()) {
                    c.accept(store);
                }
                Consumer<HistoryStore> task = samples.poll(1, TimeUnit.SECONDS);
                if (task != null) {
                    task.accept(store);
                }
                housekeeping.accept(store);
            } catch (InterruptedException e) {
                break; // not expected: close() wakes the thread with a task, since an interrupt would close the
                       // store's file channel in the middle of a write
            } catch (RuntimeException e) {
                failed.accept(e);
            }
        }
    }

    /** Writes what is queued, ends the thread and closes the store. */
    void close() throws InterruptedException {
        running = false;
        samples.offer(NOTHING);
        thread.join(TimeUnit.SECONDS.toMillis(30));
        store.close();
    }
}
