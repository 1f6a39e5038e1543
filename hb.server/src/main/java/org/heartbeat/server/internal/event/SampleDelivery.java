package org.heartbeat.server.internal.event;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.heartbeat.server.api.ListenerStatus;
import org.heartbeat.server.api.plugin.PluginFailure;
import org.heartbeat.server.api.plugin.PluginListener;
import org.heartbeat.server.api.plugin.PluginSample;
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
 * Hands the plugin samples and failures the receiver takes in to every {@link PluginListener}, each on a thread of
 * its own. The receiver only queues (it never waits); each listener's queue holds at most one report per series
 * (host and plugin), the newest, so a listener that falls behind costs memory bounded by the number of series and
 * sees current values when it catches up.
 */
@Component(service = SampleDelivery.class, immediate = true)
public final class SampleDelivery {
    /** The most series one listener's queue holds; reports of further series are dropped while it is full. */
    static final int MAX_SERIES = 200_000;

    private final Logger log;
    private final RateLimitedLog limited;
    private final Map<PluginListener, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog;

    @Activate
    public SampleDelivery(@Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.limited = new RateLimitedLog(60_000, log::error);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hbd-sample-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addListener(PluginListener listener, Map<String, Object> properties) {
        Subscriber s = new Subscriber(Delivery.nameOf(listener, properties), listener);
        subscribers.put(listener, s);
        s.start();
    }

    void removeListener(PluginListener listener) {
        Subscriber s = subscribers.remove(listener);
        if (s != null) {
            s.stop();
        }
    }

    /** Queues a sample for every listener; called on the receiver's thread, never blocks. */
    public void publish(PluginSample sample) {
        for (Subscriber s : subscribers.values()) {
            s.queue.offer(new Series(sample.host(), sample.plugin()), sample);
        }
    }

    /** Queues a failure report for every listener; called on the receiver's thread, never blocks. */
    public void publish(PluginFailure failure) {
        for (Subscriber s : subscribers.values()) {
            s.queue.offer(new Series(failure.host(), failure.plugin()), failure);
        }
    }

    /** Every listener and how far behind it is. */
    public List<ListenerStatus> status() {
        return subscribers.values().stream().map(Delivery::status).toList();
    }

    private void watch() {
        for (Subscriber s : subscribers.values()) {
            Watchdog.check(s, log, java.time.Instant.now());
            long dropped = s.queue.dropped();
            if (dropped > s.reportedDropped) {
                log.warn("sample listener {} is {} series behind: {} reports of further series were not queued",
                        s.name, s.queue.size(), dropped - s.reportedDropped);
                s.reportedDropped = dropped;
            }
        }
    }

    @Deactivate
    void deactivate() {
        watchdog.shutdownNow();
        subscribers.values().forEach(Delivery::stop);
        subscribers.clear();
    }

    private record Series(String host, String plugin) {
    }

    private final class Subscriber extends Delivery {
        final CoalescingQueue<Series, Object> queue = new CoalescingQueue<>(MAX_SERIES);
        private final PluginListener listener;
        long reportedDropped;

        Subscriber(String name, PluginListener listener) {
            super(name, "hbd-samples-");
            this.listener = listener;
        }

        @Override
        public void run() {
            while (!stopped()) {
                Object report;
                try {
                    report = queue.poll(1000);
                } catch (InterruptedException e) {
                    return;
                }
                if (report != null) {
                    deliver(report);
                }
            }
        }

        private void deliver(Object report) {
            busy(report.toString());
            try {
                if (report instanceof PluginSample s) {
                    listener.sample(s);
                } else {
                    listener.failure((PluginFailure) report);
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            } catch (Exception | LinkageError ex) {
                failures.incrementAndGet();
                limited.log("listener " + name, System.currentTimeMillis(), "sample listener {} failed on {}: {}",
                        name, report, ex.toString());
            } finally {
                idle();
            }
        }

        @Override
        long behind() {
            return queue.size();
        }

        @Override
        long coalesced() {
            return queue.coalesced();
        }

        @Override
        ListenerStatus.Kind kind() {
            return ListenerStatus.Kind.SAMPLES;
        }
    }
}
