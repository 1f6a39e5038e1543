package org.heartbeat.client.internal;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;

import org.heartbeat.api.MetricSource;
import org.heartbeat.config.PluginSettings;
import org.heartbeat.protocol.PluginNames;
import org.osgi.framework.Constants;
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
 * Runs every {@link MetricSource} on its own interval and sends what it returns (see {@link PluginRunner}
 * for how a plugin that throws, hangs or spins is contained). Plugins come and go with their bundles; the
 * first collection runs at once, and a change of a plugin's {@value MetricSource#INTERVAL} or
 * {@value MetricSource#TIMEOUT} service property reschedules it.
 *
 * <p>Two services with the same plugin name (two bundles, or two versions of one) would report under one
 * name: only the one {@link org.osgi.framework.ServiceReference#compareTo} ranks first runs (highest
 * {@code service.ranking}, then lowest {@code service.id}), with a warning; when it goes, the next takes over.
 */
@Component(immediate = true)
public final class PluginScheduler {
    /** ServiceReference.compareTo order, best first. */
    private static final Comparator<Registration> PREFERENCE = Comparator
            .comparingInt(Registration::ranking).reversed()
            .thenComparingLong(Registration::serviceId);

    /** A plugin service as DS announced it. */
    private record Registration(String name, long serviceId, int ranking, MetricSource source, long intervalMillis,
            long timeoutMillis, Object bundleId) {
    }

    private final PluginSink sink;
    private final Logger log;
    private final ScheduledExecutorService clock;
    private final Map<Long, Registration> registered = new HashMap<>();
    private final Map<String, PluginRunner> running = new HashMap<>();
    private boolean closed;

    @Activate
    public PluginScheduler(@Reference HeartbeatClient client, @Reference(service = LoggerFactory.class) Logger log) {
        this((PluginSink) client, log);
    }

    PluginScheduler(PluginSink sink, Logger log) {
        this.sink = sink;
        this.log = log;
        this.clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hbc-plugin-clock");
            t.setDaemon(true);
            return t;
        });
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedSource")
    synchronized void addSource(MetricSource source, Map<String, Object> properties) {
        Registration r = registration(source, properties);
        if (r == null) {
            return;
        }
        registered.put(r.serviceId(), r);
        elect(r.name(), true);
    }

    synchronized void updatedSource(MetricSource source, Map<String, Object> properties) {
        Registration before = registered.remove(serviceId(properties));
        Registration now = registration(source, properties);
        if (now != null) {
            registered.put(now.serviceId(), now);
            elect(now.name(), before == null || !before.name().equals(now.name()));
        }
        if (before != null && (now == null || !before.name().equals(now.name()))) {
            elect(before.name(), false);
        }
    }

    synchronized void removeSource(MetricSource source, Map<String, Object> properties) {
        Registration r = registered.remove(serviceId(properties));
        if (r != null) {
            elect(r.name(), false);
        }
    }

    /** Makes the preferred service of plugin {@code name} the one that runs, on its current schedule. */
    private void elect(String name, boolean arrived) {
        List<Registration> candidates = registered.values().stream().filter(r -> r.name().equals(name))
                .sorted(PREFERENCE).toList();
        PluginRunner runner = running.get(name);
        if (candidates.isEmpty()) {
            if (runner != null) {
                running.remove(name).stop();
                log.info("plugin {} removed", name);
            }
            return;
        }
        Registration best = candidates.get(0);
        if (arrived && candidates.size() > 1) {
            log.warn("plugin {} is registered {} times ({}); only service {} runs", name, candidates.size(),
                    candidates.stream().map(r -> "service " + r.serviceId() + " of bundle " + r.bundleId()
                            + ", ranking " + r.ranking()).collect(Collectors.joining("; ")), best.serviceId());
        }
        if (runner != null && runner.serviceId() == best.serviceId()) {
            if (runner.reschedule(best.intervalMillis(), best.timeoutMillis())) {
                log.info("plugin {} now collects every {} (timeout {})", name,
                        PluginRunner.seconds(best.intervalMillis()), PluginRunner.seconds(best.timeoutMillis()));
            }
            return;
        }
        if (runner != null) {
            runner.stop();
        }
        if (closed) {
            return;
        }
        PluginRunner next = new PluginRunner(name, best.serviceId(), best.source(), best.intervalMillis(),
                best.timeoutMillis(), sink, log, clock);
        running.put(name, next);
        next.start();
        log.info("plugin {} (service {} of bundle {}) collects every {} (timeout {})", name, best.serviceId(),
                best.bundleId(), PluginRunner.seconds(best.intervalMillis()),
                PluginRunner.seconds(best.timeoutMillis()));
    }

    private Registration registration(MetricSource source, Map<String, Object> properties) {
        Object name = properties.get(MetricSource.NAME);
        if (!(name instanceof String n) || !PluginNames.valid(n)) {
            log.error("a metric plugin service without a valid {} property ({}) is ignored; service properties: {}",
                    MetricSource.NAME, name, properties);
            return null;
        }
        long interval = millis(n, MetricSource.INTERVAL, properties.get(MetricSource.INTERVAL),
                PluginSettings.DEFAULT_INTERVAL);
        long timeout = millis(n, MetricSource.TIMEOUT, properties.get(MetricSource.TIMEOUT),
                Math.min(interval / 1000.0, PluginSettings.MAX_DEFAULT_TIMEOUT));
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        return new Registration(n, serviceId(properties), ranking instanceof Integer i ? i : 0, source, interval,
                timeout, properties.get(Constants.SERVICE_BUNDLEID));
    }

    private static long serviceId(Map<String, Object> properties) {
        return ((Number) properties.get(Constants.SERVICE_ID)).longValue();
    }

    /** Seconds given as a number or a string, in milliseconds; the default when absent or unusable. */
    private long millis(String plugin, String property, Object value, double defaultSeconds) {
        double seconds = defaultSeconds;
        if (value instanceof Number n) {
            seconds = n.doubleValue();
        } else if (value instanceof String s) {
            try {
                seconds = Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                seconds = Double.NaN;
            }
        }
        // the protocol announces intervals as u32 milliseconds
        if (!(seconds >= 0.001 && seconds <= 0xFFFF_FFFFL / 1000.0)) {
            log.warn("plugin {}: {} \"{}\" is not a number of seconds between 0.001 and 4294967; using {} s", plugin,
                    property, value, defaultSeconds);
            seconds = defaultSeconds;
        }
        return Math.round(seconds * 1000);
    }

    @Deactivate
    synchronized void deactivate() {
        closed = true;
        running.values().forEach(PluginRunner::stop);
        running.clear();
        registered.clear();
        clock.shutdownNow();
    }
}
