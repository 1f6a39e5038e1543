package org.heartbeat.server.internal.event;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.heartbeat.server.api.ListenerStatus;
import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.api.event.HostEventListener;
import org.heartbeat.server.internal.util.RateLimitedLog;
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
 * Hands every durable event of the journal to every {@link HostEventListener}, in order, each listener on a
 * thread of its own, so that none waits for another and the receiver and the deadline timer wait for none. A
 * listener reads recent events from memory and older ones from the journal's files: memory stays bounded however
 * far behind it falls, and nothing is dropped. A listener stuck in one call is reported by a watchdog.
 */
@Component(service = EventDelivery.class, immediate = true)
public final class EventDelivery {
    private static final int BATCH = 256;

    private final Journal journal;
    private final Logger log;
    private final RateLimitedLog limited;
    private final Map<HostEventListener, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog;

    @Activate
    public EventDelivery(@Reference JournalService journal, @Reference(service = LoggerFactory.class) Logger log) {
        this.journal = journal.journal();
        this.log = log;
        this.limited = new RateLimitedLog(60_000, log::error);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hbd-event-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addListener(HostEventListener listener, Map<String, Object> properties) {
        String name = Delivery.nameOf(listener, properties);
        long from;
        try {
            long resume = listener.resumeAfter();
            from = resume == HostEventListener.LIVE ? journal.durableId() : Math.max(0, resume);
        } catch (RuntimeException e) {
            log.error("event listener {}: resumeAfter() failed; it gets events from now on", name, e);
            from = journal.durableId();
        }
        Subscriber s = new Subscriber(name, listener, from);
        subscribers.put(listener, s);
        s.start();
        log.debug("event listener {} bound, from event {}", name, from);
    }

    void removeListener(HostEventListener listener) {
        Subscriber s = subscribers.remove(listener);
        if (s != null) {
            s.stop();
        }
    }

    /** Every listener and how far behind it is. */
    public List<ListenerStatus> status() {
        return subscribers.values().stream().map(Delivery::status).toList();
    }

    private void watch() {
        for (Subscriber s : subscribers.values()) {
            Watchdog.check(s, log, java.time.Instant.now());
        }
    }

    @Deactivate
    void deactivate() {
        watchdog.shutdownNow();
        subscribers.values().forEach(Delivery::stop);
        subscribers.clear();
    }

    /** One listener's delivery: its cursor in the journal and its thread. */
    private final class Subscriber extends Delivery {
        private final HostEventListener listener;
        private volatile long cursor;

        Subscriber(String name, HostEventListener listener, long from) {
            super(name, "hbd-events-");
            this.listener = listener;
            this.cursor = from;
        }

        @Override
        public void run() {
            while (!stopped()) {
                long durable = journal.durableId();
                List<HostEvent> batch;
                try {
                    batch = journal.eventsAfter(cursor, BATCH, 1000);
                } catch (InterruptedException e) {
                    return;
                }
                if (batch.isEmpty() && durable > cursor) {
                    // nothing after the cursor up to what was durable: those ids were removed by the retention or
                    // never written (a journal begun anew starts at the time in microseconds). Asking again would
                    // only find the same nothing, at once and for ever.
                    if (cursor > 0) {
                        log.info("event listener {}: the journal holds no events after {}; it goes on from {}", name,
                                cursor, durable);
                    }
                    cursor = durable;
                    continue;
                }
                if (!batch.isEmpty() && batch.get(0).id() > cursor + 1 && cursor > 0) {
                    log.warn("event listener {}: the journal holds no events after {} and before {} (removed by its "
                            + "retention, or the journal began anew); it goes on from there", name, cursor,
                            batch.get(0).id());
                }
                for (HostEvent e : batch) {
                    if (stopped()) {
                        return;
                    }
                    deliver(e);
                    cursor = e.id();
                }
            }
        }

        private void deliver(HostEvent e) {
            busy("event " + e.id() + " (" + e.type() + " " + e.host() + ")");
            try {
                listener.hostEvent(e);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            } catch (Exception | LinkageError ex) {
                failures.incrementAndGet();
                limited.log("listener " + name, System.currentTimeMillis(), "event listener {} failed on {}: {}",
                        name, e, ex.toString());
            } finally {
                idle();
            }
        }

        @Override
        long behind() {
            return Math.max(0, journal.durableId() - cursor);
        }

        @Override
        ListenerStatus.Kind kind() {
            return ListenerStatus.Kind.EVENTS;
        }
    }
}
