package org.heartbeat.server.internal.event;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.heartbeat.server.api.ListenerStatus;
import org.heartbeat.server.api.event.HostEventListener;
import org.osgi.framework.Constants;

/**
 * What the delivery of events and of samples share: one thread per listener, its counters, and what is reported
 * when the listener is stuck in one call.
 */
abstract class Delivery implements Runnable {
    /** A listener in one call for longer than this counts as stalled. */
    static final Duration STALL = Duration.ofSeconds(10);

    final String name;
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private volatile Instant busySince;
    private volatile String busyWith;
    private volatile boolean stopped;
    /** The busySince a stall was reported for; guarded by the watchdog thread. */
    Instant reportedStall;

    Delivery(String name, String threadPrefix) {
        this.name = name;
        this.thread = new Thread(this, threadPrefix + name);
        this.thread.setDaemon(true);
    }

    /** The name a listener goes by: its own property, else its component name, else its class name. */
    static String nameOf(Object listener, Map<String, Object> properties) {
        for (String key : new String[] {HostEventListener.NAME, "component.name"}) {
            Object v = properties.get(key);
            if (v != null && !v.toString().isBlank()) {
                return v.toString();
            }
        }
        Object id = properties.get(Constants.SERVICE_ID);
        return listener.getClass().getName() + (id == null ? "" : "#" + id);
    }

    void start() {
        thread.start();
    }

    /** Stops delivering: interrupts a call in progress, and waits a little for the thread to end. */
    void stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean stopped() {
        return stopped;
    }

    /** Marks the start of a call: {@code what} says which event or sample, for the stall report. */
    void busy(String what) {
        busyWith = what;
        busySince = Instant.now();
    }

    void idle() {
        busySince = null;
        busyWith = null;
        delivered.incrementAndGet();
    }

    Instant busySince() {
        return busySince;
    }

    String busyWith() {
        return busyWith;
    }

    /** How many wait for this listener. */
    abstract long behind();

    abstract ListenerStatus.Kind kind();

    long coalesced() {
        return 0;
    }

    ListenerStatus status() {
        return new ListenerStatus(name, kind(), delivered.get(), behind(), failures.get(), coalesced(), busySince);
    }
}
