package org.heartbeat.server.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Hands every {@link HostEvent} to every {@link HostEventListener}, in order, on one thread of its own, so
 * that the receiver and the deadline timer never wait for a listener.
 */
@Component(service = EventDispatcher.class)
public final class EventDispatcher {
    private static final int CAPACITY = 100_000;

    private final BlockingQueue<HostEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final CopyOnWriteArrayList<HostEventListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong overflow = new AtomicLong();
    private final Logger log;
    private final Thread thread;
    private volatile boolean running = true;

    @Activate
    public EventDispatcher(@Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.thread = new Thread(this::run, "hbd-events");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addListener(HostEventListener listener) {
        listeners.add(listener);
    }

    void removeListener(HostEventListener listener) {
        listeners.remove(listener);
    }

    /** Queues an event; never blocks. */
    public void post(HostEvent event) {
        if (!queue.offer(event)) {
            // A listener is stuck and 100,000 events wait: say so rather than lose them quietly.
            long n = overflow.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                log.error("event queue full: {} events could not be delivered so far, latest: {}", n,
                        event.message());
            }
        }
    }

    private void run() {
        while (running) {
            HostEvent event;
            try {
                event = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (event != null) {
                deliver(event);
            }
        }
        HostEvent rest;
        while ((rest = queue.poll()) != null) {
            deliver(rest);
        }
    }

    private void deliver(HostEvent event) {
        for (HostEventListener l : listeners) {
            try {
                l.hostEvent(event);
            } catch (RuntimeException e) {
                log.error("event listener {} failed on {}", l.getClass().getName(), event.type(), e);
            }
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(5));
    }
}
