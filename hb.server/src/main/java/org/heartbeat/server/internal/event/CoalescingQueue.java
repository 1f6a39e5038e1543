package org.heartbeat.server.internal.event;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A queue that holds at most one value per key: a value offered while an older one of the same key still waits
 * replaces it and keeps its place. So a consumer that falls behind gets the newest value of each key, and the queue
 * never holds more entries than there are keys (nor more than its capacity: beyond that, new keys are dropped and
 * counted). Thread-safe; one consumer.
 */
final class CoalescingQueue<K, V> {
    private final LinkedHashMap<K, V> entries = new LinkedHashMap<>();
    private final int capacity;
    private long coalesced;
    private long dropped;

    CoalescingQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Queues a value; never blocks. */
    synchronized void offer(K key, V value) {
        if (entries.containsKey(key)) {
            entries.put(key, value); // replacing keeps the insertion order
            coalesced++;
            return;
        }
        if (entries.size() >= capacity) {
            dropped++;
            return;
        }
        entries.put(key, value);
        if (entries.size() == 1) {
            notifyAll();
        }
    }

    /** The oldest value, waiting up to {@code waitMillis} for one; null when none came. */
    synchronized V poll(long waitMillis) throws InterruptedException {
        if (entries.isEmpty() && waitMillis > 0) {
            wait(waitMillis);
        }
        Iterator<Map.Entry<K, V>> it = entries.entrySet().iterator();
        if (!it.hasNext()) {
            return null;
        }
        V v = it.next().getValue();
        it.remove();
        return v;
    }

    synchronized int size() {
        return entries.size();
    }

    /** Values replaced by a newer one of their key before they were taken. */
    synchronized long coalesced() {
        return coalesced;
    }

    /** Values refused because the queue was full. */
    synchronized long dropped() {
        return dropped;
    }
}
