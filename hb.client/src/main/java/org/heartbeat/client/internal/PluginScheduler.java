package org.heartbeat.client.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.heartbeat.api.MetricSource;
import org.heartbeat.api.Metrics;
import org.heartbeat.config.PluginSettings;
import org.heartbeat.protocol.PluginNames;
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
 * Runs every {@link MetricSource} on its own interval and sends what it returns. Each plugin collects on a
 * thread of its own, so one that hangs or spins delays neither the heartbeats (which have their own thread)
 * nor the other plugins: a run is interrupted after its timeout and reported, and while it still runs the
 * next ones are skipped and reported. Plugins come and go with their bundles; the first collection runs at
 * once.
 */
@Component(immediate = true)
public final class PluginScheduler {
    private final HeartbeatClient client;
    private final Logger log;
    private final ScheduledExecutorService clock;
    private final Map<MetricSource, Runner> runners = new ConcurrentHashMap<>();
    private volatile boolean active = true;

    @Activate
    public PluginScheduler(@Reference HeartbeatClient client, @Reference(service = LoggerFactory.class) Logger log) {
        this.client = client;
        this.log = log;
        this.clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hbc-plugin-clock");
            t.setDaemon(true);
            return t;
        });
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedSource")
    void addSource(MetricSource source, Map<String, Object> properties) {
        Object name = properties.get(MetricSource.NAME);
        if (!(name instanceof String n) || !PluginNames.valid(n)) {
            log.error("a metric plugin service without a valid {} property ({}) is ignored", MetricSource.NAME, name);
            return;
        }
        double interval = seconds(properties.get(MetricSource.INTERVAL), PluginSettings.DEFAULT_INTERVAL);
        double timeout = seconds(properties.get(MetricSource.TIMEOUT),
                Math.min(interval, PluginSettings.MAX_DEFAULT_TIMEOUT));
        Runner runner = new Runner(n, source, Math.round(interval * 1000), Math.round(timeout * 1000));
        Runner before = runners.put(source, runner);
        if (before != null) {
            before.stop();
        }
        if (active) {
            runner.start();
            log.info("plugin {} collects every {} s (timeout {} s)", n, interval, timeout);
        }
    }

    void updatedSource(MetricSource source, Map<String, Object> properties) {
        addSource(source, properties);
    }

    void removeSource(MetricSource source, Map<String, Object> properties) {
        Runner runner = runners.remove(source);
        if (runner != null) {
            runner.stop();
            log.info("plugin {} removed", runner.name);
        }
    }

    private static double seconds(Object value, double def) {
        if (value instanceof Number n && n.doubleValue() > 0) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return def;
            }
        }
        return def;
    }

    /** The schedule of one plugin and the thread it collects on. */
    private final class Runner {
        final String name;
        final MetricSource source;
        final long intervalMillis;
        final long timeoutMillis;
        final ExecutorService worker;
        private ScheduledFuture<?> ticks;
        private volatile Future<?> running;

        Runner(String name, MetricSource source, long intervalMillis, long timeoutMillis) {
            this.name = name;
            this.source = source;
            this.intervalMillis = Math.max(1, intervalMillis);
            this.timeoutMillis = Math.max(1, timeoutMillis);
            this.worker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "hbc-plugin-" + name);
                t.setDaemon(true);
                return t;
            });
        }

        synchronized void start() {
            ticks = clock.scheduleAtFixedRate(this::tick, 0, intervalMillis, TimeUnit.MILLISECONDS);
        }

        private void tick() {
            Future<?> previous = running;
            if (previous != null && !previous.isDone()) {
                fail("the previous collection is still running; this one is skipped");
                return;
            }
            Future<?> run = worker.submit(this::collect);
            running = run;
            clock.schedule(() -> {
                if (!run.isDone()) {
                    run.cancel(true);
                    fail("collection timed out after " + seconds(timeoutMillis) + " s");
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }

        private void collect() {
            Metrics metrics;
            try {
                metrics = source.collect();
            } catch (Exception | LinkageError | AssertionError e) {
                if (!Thread.currentThread().isInterrupted()) {
                    fail(e.getMessage() == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": "
                            + e.getMessage());
                }
                return;
            }
            if (Thread.currentThread().isInterrupted()) {
                return; // timed out meanwhile, and reported as such
            }
            if (metrics == null) {
                fail("collect() returned null");
                return;
            }
            try {
                client.sendPluginSample(name, intervalMillis, metrics.asMap());
                log.debug("plugin {}: sent {} values", name, metrics.leaves().size());
            } catch (IllegalArgumentException e) {
                fail("values cannot be sent: " + e.getMessage());
            }
        }

        private void fail(String message) {
            log.warn("plugin {}: {}", name, message);
            client.sendPluginError(name, intervalMillis, message);
        }

        synchronized void stop() {
            if (ticks != null) {
                ticks.cancel(false);
            }
            worker.shutdownNow();
        }
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }

    @Deactivate
    void deactivate() {
        active = false;
        runners.values().forEach(Runner::stop);
        runners.clear();
        clock.shutdownNow();
    }
}
