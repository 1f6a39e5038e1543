package org.heartbeat.client.internal;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.heartbeat.api.MetricSource;
import org.heartbeat.plugin.support.PluginDefaults;
import org.heartbeat.protocol.PluginNames;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Runs every {@link MetricSource} on its own interval and sends what it returns (see {@link PluginRunner}
 * for how a plugin that throws, hangs or spins is contained). Plugins come and go with their bundles; the
 * first collection runs at once, and a change of a plugin's {@value MetricSource#INTERVAL} or
 * {@value MetricSource#TIMEOUT} service property reschedules it. Without them, the defaults of
 * {@link PluginDefaults} apply: a timeout below the interval, so that a collection that times out does not
 * also cost the next one.
 *
 * <p>Two services with the same plugin name (two bundles, or two versions of one) would report under one
 * name: only the one {@link org.osgi.framework.ServiceReference#compareTo} ranks first runs (highest
 * {@code service.ranking}, then lowest {@code service.id}), with a warning; when it goes, the next takes over.
 *
 * <p>A plugin's service object is got only when the plugin is to run, through {@link ComponentServiceObjects}:
 * when its component cannot be created (its constructor throws), that is reported once, as one line naming the
 * plugin, its bundle and the cause, and the plugin stays off until its service is registered anew. A plugin
 * stopped while its collection ignores the interrupt leaves a thread running the old bundle's code:
 * {@link AbandonedThreads} says so until it ends.
 */
@Component(immediate = true)
public final class PluginScheduler {
    /** ServiceReference.compareTo order, best first. */
    private static final Comparator<Registration> PREFERENCE = Comparator
            .comparingInt(Registration::ranking).reversed()
            .thenComparingLong(Registration::serviceId);

    /** How often an abandoned thread of a stopped plugin is reported again while it runs. */
    static final Duration ABANDONED_REMINDER = Duration.ofMinutes(5);

    /** A plugin service as DS announced it, and its service object once got. */
    private static final class Registration {
        final String name;
        final long serviceId;
        final int ranking;
        final ComponentServiceObjects<MetricSource> objects;
        final long intervalMillis;
        final long timeoutMillis;
        final String bundle;
        MetricSource instance;
        boolean failed;

        Registration(String name, long serviceId, int ranking, ComponentServiceObjects<MetricSource> objects,
                long intervalMillis, long timeoutMillis, String bundle) {
            this.name = name;
            this.serviceId = serviceId;
            this.ranking = ranking;
            this.objects = objects;
            this.intervalMillis = intervalMillis;
            this.timeoutMillis = timeoutMillis;
            this.bundle = bundle;
        }

        int ranking() {
            return ranking;
        }

        long serviceId() {
            return serviceId;
        }
    }

    private final PluginSink sink;
    private final Logger log;
    private final Function<ServiceReference<?>, String> activationFailure;
    private final ScheduledExecutorService clock;
    private final AbandonedThreads abandoned;
    private final Map<Long, Registration> registered = new HashMap<>();
    private final Map<String, PluginRunner> running = new HashMap<>();
    private ScheduledFuture<?> abandonedChecks;
    private boolean closed;

    @Activate
    public PluginScheduler(@Reference HeartbeatClient client, @Reference ServiceComponentRuntime scr,
            @Reference(service = LoggerFactory.class) Logger log) {
        this((PluginSink) client, log, ref -> activationFailure(scr, ref), ABANDONED_REMINDER);
    }

    /**
     * @param activationFailure why the component behind a service reference could not be created, as a stack
     *        trace; null when unknown
     * @param abandonedReminder how often a stopped plugin's abandoned thread is reported again
     */
    PluginScheduler(PluginSink sink, Logger log, Function<ServiceReference<?>, String> activationFailure,
            Duration abandonedReminder) {
        this.sink = sink;
        this.log = log;
        this.activationFailure = activationFailure;
        this.clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hbc-plugin-clock");
            t.setDaemon(true);
            return t;
        });
        this.abandoned = new AbandonedThreads(log, System::nanoTime,
                Duration.ofMillis(PluginRunner.INTERRUPT_GRACE_MILLIS), abandonedReminder);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedSource")
    synchronized void addSource(ComponentServiceObjects<MetricSource> objects, Map<String, Object> properties) {
        Registration r = registration(objects, properties);
        if (r == null) {
            return;
        }
        registered.put(r.serviceId, r);
        elect(r.name, true);
    }

    synchronized void updatedSource(ComponentServiceObjects<MetricSource> objects, Map<String, Object> properties) {
        Registration before = registered.remove(serviceId(properties));
        Registration now = registration(objects, properties);
        if (now != null) {
            if (before != null) {
                // the same service object, whatever its properties say now
                now.instance = before.instance;
                now.failed = before.failed;
            }
            registered.put(now.serviceId, now);
            elect(now.name, before == null || !before.name.equals(now.name));
        }
        if (before != null && (now == null || !before.name.equals(now.name))) {
            if (now == null) {
                release(before);
            }
            elect(before.name, false);
        }
    }

    synchronized void removeSource(ComponentServiceObjects<MetricSource> objects, Map<String, Object> properties) {
        Registration r = registered.remove(serviceId(properties));
        if (r != null) {
            elect(r.name, false);
            release(r);
        }
    }

    /** Makes the preferred service of plugin {@code name} the one that runs, on its current schedule. */
    private void elect(String name, boolean arrived) {
        while (true) {
            List<Registration> candidates = registered.values().stream()
                    .filter(r -> r.name.equals(name) && !r.failed).sorted(PREFERENCE).toList();
            PluginRunner runner = running.get(name);
            if (candidates.isEmpty()) {
                if (runner != null) {
                    stop(running.remove(name));
                    log.info("plugin {} removed", name);
                }
                return;
            }
            Registration best = candidates.get(0);
            if (arrived && candidates.size() > 1) {
                log.warn("plugin {} is registered {} times ({}); only service {} runs", name, candidates.size(),
                        candidates.stream().map(r -> "service " + r.serviceId + " of bundle " + r.bundle
                                + ", ranking " + r.ranking).collect(Collectors.joining("; ")), best.serviceId);
            }
            if (runner != null && runner.serviceId() == best.serviceId) {
                if (runner.reschedule(best.intervalMillis, best.timeoutMillis)) {
                    log.info("plugin {} now collects every {} (timeout {})", name,
                            PluginRunner.seconds(best.intervalMillis), PluginRunner.seconds(best.timeoutMillis));
                }
                return;
            }
            if (runner != null) {
                stop(running.remove(name));
                Registration previous = registered.get(runner.serviceId());
                if (previous != null && previous.name.equals(name)) {
                    release(previous);
                }
            }
            if (closed) {
                return;
            }
            MetricSource source = instance(best);
            if (source == null) {
                arrived = false;
                continue;
            }
            PluginRunner next = new PluginRunner(name, best.serviceId, best.bundle, source, best.intervalMillis,
                    best.timeoutMillis, sink, log, clock);
            running.put(name, next);
            next.start();
            log.info("plugin {} (service {} of bundle {}) collects every {} (timeout {})", name, best.serviceId,
                    best.bundle, PluginRunner.seconds(best.intervalMillis), PluginRunner.seconds(best.timeoutMillis));
            return;
        }
    }

    /** The registration's service object, got now if need be; null, reported once, when there is none. */
    private MetricSource instance(Registration r) {
        if (r.instance == null) {
            r.instance = r.objects.getService();
            if (r.instance == null) {
                r.failed = true;
                String cause = rootCause(activationFailure.apply(r.objects.getServiceReference()));
                log.error("plugin {} (bundle {}) could not be created: {}; it stays off until its bundle or"
                        + " configuration changes", r.name, r.bundle, cause == null ? "see the log above" : cause);
            }
        }
        return r.instance;
    }

    private void release(Registration r) {
        if (r.instance != null) {
            MetricSource instance = r.instance;
            r.instance = null;
            try {
                r.objects.ungetService(instance);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // the component is already gone with its bundle
                log.debug("plugin {}: releasing service {}: {}", r.name, r.serviceId, e.toString());
            }
        }
    }

    private void stop(PluginRunner runner) {
        Thread still = runner.stop();
        if (still != null) {
            abandoned.watch(runner.name(), runner.bundle(), still);
            if (abandonedChecks == null && !closed) {
                abandonedChecks = clock.scheduleWithFixedDelay(this::checkAbandoned, 250, 250, TimeUnit.MILLISECONDS);
            }
        }
    }

    private synchronized void checkAbandoned() {
        abandoned.check();
        if (!abandoned.any() && abandonedChecks != null) {
            abandonedChecks.cancel(false);
            abandonedChecks = null;
        }
    }

    private Registration registration(ComponentServiceObjects<MetricSource> objects, Map<String, Object> properties) {
        Object name = properties.get(MetricSource.NAME);
        if (!(name instanceof String n) || !PluginNames.valid(n)) {
            log.error("a metric plugin service without a valid {} property ({}) is ignored; service properties: {}",
                    MetricSource.NAME, name, properties);
            return null;
        }
        double intervalSeconds = seconds(n, MetricSource.INTERVAL, properties.get(MetricSource.INTERVAL),
                PluginDefaults.INTERVAL);
        double timeoutSeconds = seconds(n, MetricSource.TIMEOUT, properties.get(MetricSource.TIMEOUT),
                PluginDefaults.timeout(intervalSeconds));
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        return new Registration(n, serviceId(properties), ranking instanceof Integer i ? i : 0, objects,
                millis(intervalSeconds), millis(timeoutSeconds), bundle(objects, properties));
    }

    /** The bundle of a service, as "symbolic-name version", while it is still there to ask. */
    private static String bundle(ComponentServiceObjects<MetricSource> objects, Map<String, Object> properties) {
        ServiceReference<MetricSource> ref = objects.getServiceReference();
        Bundle b = ref == null ? null : ref.getBundle();
        return b != null ? b.getSymbolicName() + " " + b.getVersion()
                : String.valueOf(properties.get(Constants.SERVICE_BUNDLEID));
    }

    private static long serviceId(Map<String, Object> properties) {
        return ((Number) properties.get(Constants.SERVICE_ID)).longValue();
    }

    private static long millis(double seconds) {
        return Math.max(1, Math.round(seconds * 1000));
    }

    /** Seconds given as a number or a string; the default when absent or unusable. */
    private double seconds(String plugin, String property, Object value, double defaultSeconds) {
        if (value == null) {
            return defaultSeconds;
        }
        double seconds;
        if (value instanceof Number n) {
            seconds = n.doubleValue();
        } else {
            try {
                seconds = Double.parseDouble(String.valueOf(value).strip());
            } catch (NumberFormatException e) {
                seconds = Double.NaN;
            }
        }
        // the protocol announces intervals as u32 milliseconds
        if (!(seconds >= 0.001 && seconds <= 0xFFFF_FFFFL / 1000.0)) {
            log.warn("plugin {}: {} \"{}\" is not a number of seconds between 0.001 and 4294967; using {} s", plugin,
                    property, value, defaultSeconds);
            return defaultSeconds;
        }
        return seconds;
    }

    /**
     * The component configuration behind {@code ref} failed to activate: its failure, as SCR keeps it (a stack
     * trace); null when SCR knows of none.
     */
    static String activationFailure(ServiceComponentRuntime scr, ServiceReference<?> ref) {
        Object name = ref.getProperty(ComponentConstants.COMPONENT_NAME);
        Object id = ref.getProperty(ComponentConstants.COMPONENT_ID);
        Bundle bundle = ref.getBundle();
        if (!(name instanceof String n) || !(id instanceof Number i) || bundle == null) {
            return null;
        }
        ComponentDescriptionDTO description = scr.getComponentDescriptionDTO(bundle, n);
        if (description == null) {
            return null;
        }
        for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(description)) {
            if (c.id == i.longValue() && c.failure != null) {
                return c.failure;
            }
        }
        return null;
    }

    /**
     * The innermost cause of a stack trace printed by {@link Throwable#printStackTrace()}, as
     * "SimpleClassName: message"; null for null.
     */
    static String rootCause(String stackTrace) {
        if (stackTrace == null || stackTrace.isBlank()) {
            return null;
        }
        String cause = stackTrace.strip().lines().findFirst().orElse("");
        for (String line : (Iterable<String>) stackTrace.lines()::iterator) {
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length());
            }
        }
        return simpleName(cause.strip());
    }

    /** "java.lang.IllegalStateException: x" as "IllegalStateException: x". */
    static String simpleName(String causeLine) {
        int colon = causeLine.indexOf(':');
        String type = colon < 0 ? causeLine : causeLine.substring(0, colon);
        if (type.contains(" ") || type.lastIndexOf('.') < 0) {
            return causeLine;
        }
        return type.substring(type.lastIndexOf('.') + 1) + (colon < 0 ? "" : causeLine.substring(colon));
    }

    @Deactivate
    synchronized void deactivate() {
        closed = true;
        running.values().forEach(PluginRunner::stop);
        running.clear();
        registered.values().forEach(this::release);
        registered.clear();
        clock.shutdownNow();
    }
}
