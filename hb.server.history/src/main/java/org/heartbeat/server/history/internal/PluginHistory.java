package org.heartbeat.server.history.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.heartbeat.api.MetricPath;
import org.heartbeat.config.Section;
import org.heartbeat.server.api.StatusSource;
import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.api.event.HostEventListener;
import org.heartbeat.server.api.plugin.HistoryPoint;
import org.heartbeat.server.api.plugin.PluginFailure;
import org.heartbeat.server.api.plugin.PluginListener;
import org.heartbeat.server.api.plugin.PluginSample;
import org.heartbeat.server.api.plugin.PluginState;
import org.heartbeat.server.api.plugin.PluginValues;
import org.heartbeat.server.history.internal.Refusals.Reason;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Every host's plugin values: the latest state of each plugin, in memory, and the history of each numeric (or
 * boolean) value in the {@link HistoryStore}. The core hands samples and failures in on a listener thread of
 * their own; they become the latest state at once, and the history is written by the {@link HistoryWriter}'s
 * thread, so the listener never waits for the disk. A host the core forgets takes its values and history with
 * it. At start the latest values are read back from the store, so they are there at once after a restart.
 *
 * <p>What hosts can make it keep is bounded, whatever they send: {@link HistorySettings#maxPluginsPerHost}
 * plugins per host (a report of one more is dropped whole), {@link HistorySettings#maxMetricsPerPlugin} series
 * per plugin, and a store of {@link HistorySettings#maxSizeMb} on disk. What is refused is counted by reason in
 * the status and logged at most once a minute per reason ({@link Refusals}).
 */
@Component(service = {PluginValues.class, PluginListener.class, HostEventListener.class, StatusSource.class},
        property = {HostEventListener.NAME + "=history", StatusSource.SECTION + "=history"},
        configurationPid = HistorySettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = HistorySettings.class)
public final class PluginHistory implements PluginValues, PluginListener, HostEventListener, StatusSource {
    /** Opens the store in a file; tests stand in stores of their own. */
    interface Opener {
        HistoryStore open(Path file) throws IOException;
    }

    static final int QUEUE = 20_000;

    private final Logger log;
    private final Clock clock;
    private final Opener opener;
    private final Map<String, Map<String, PluginState>> latest = new ConcurrentHashMap<>();
    private final LongAdder samples = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final Refusals refusals;
    private final HistoryWriter writer;
    private volatile HistorySettings settings;
    private volatile int maxPlugins;
    private volatile String storeProblem;
    private volatile long nextReduceMillis;
    private long nextMeasureMillis;

    @Activate
    public PluginHistory(HistorySettings settings, @Reference(service = LoggerFactory.class) Logger log) {
        this(settings, log, Clock.systemUTC(), HistoryStore::open);
    }

    PluginHistory(HistorySettings settings, Logger log, Clock clock, Opener opener) {
        this.log = log;
        this.clock = clock;
        this.opener = opener;
        this.settings = settings;
        this.refusals = new Refusals(clock, log);
        this.maxPlugins = positive("maxPluginsPerHost", settings.maxPluginsPerHost(), 64);
        HistoryStore store = open(settings);
        restoreLatest(store);
        this.writer = new HistoryWriter(store, QUEUE, this::housekeeping,
                e -> refusals.refuse(Reason.WRITE_FAILED, e.toString()));
        writer.start();
    }

    private HistoryStore open(HistorySettings s) {
        Path file = Section.expandHome(s.file());
        HistoryStore store;
        try {
            store = opener.open(file);
            storeProblem = null;
            log.info("plugin history in {} (raw {} s, retention {} s, resolution {} s, at most {} MB)", file,
                    s.raw(), s.retention(), s.resolution(), s.maxSizeMb());
        } catch (IOException | RuntimeException e) {
            storeProblem = e.getMessage();
            log.error("{}; plugin values are kept in memory only until this is fixed and hbd restarted",
                    e.getMessage());
            store = HistoryStore.inMemory();
        }
        store.limits(limits(s));
        return store;
    }

    private HistoryStore.Limits limits(HistorySettings s) {
        return new HistoryStore.Limits(positive("maxMetricsPerPlugin", s.maxMetricsPerPlugin(), 1000),
                positive("maxSizeMb", s.maxSizeMb(), 2048) * 1024L * 1024);
    }

    private int positive(String attribute, int value, int otherwise) {
        if (value >= 1) {
            return value;
        }
        log.warn("history setting {} must be at least 1, got {}; using {}", attribute, value, otherwise);
        return otherwise;
    }

    private void restoreLatest(HistoryStore store) {
        int n = 0;
        for (Map.Entry<String, Map<String, byte[]>> host : store.latest().entrySet()) {
            for (Map.Entry<String, byte[]> plugin : host.getValue().entrySet()) {
                try {
                    PluginState s = LatestCodec.decode(plugin.getValue());
                    latest.computeIfAbsent(host.getKey(), h -> new ConcurrentHashMap<>()).put(plugin.getKey(), s);
                    n++;
                } catch (IOException | RuntimeException e) {
                    log.warn("latest values of plugin {} of {} are unreadable and skipped: {}", plugin.getKey(),
                            host.getKey(), e.toString());
                }
            }
        }
        if (n > 0) {
            log.info("restored the latest values of {} plugins", n);
        }
    }

    @Modified
    void modified(HistorySettings newSettings) {
        HistorySettings before = settings;
        settings = newSettings;
        maxPlugins = positive("maxPluginsPerHost", newSettings.maxPluginsPerHost(), 64);
        writer.store().limits(limits(newSettings));
        if (!before.file().equals(newSettings.file())) {
            writer.switchTo(() -> open(newSettings), store -> latest.forEach((host, plugins) -> plugins
                    .forEach((plugin, s) -> store.putLatest(host, plugin, LatestCodec.encode(s)))));
        }
        nextReduceMillis = 0;
    }

    /** Takes a sample on the core's listener thread: the latest state at once, the history soon after. */
    @Override
    public void sample(PluginSample sample) {
        samples.increment();
        PluginState state = update(sample.host(), sample.plugin(),
                s -> s == null ? PluginState.of(sample) : s.withSample(sample));
        if (state == null) {
            return;
        }
        record(sample.host(), sample.plugin(), store -> {
            long time = sample.received().toEpochMilli();
            for (Map.Entry<MetricPath, Object> leaf : sample.values().leaves().entrySet()) {
                double v;
                if (leaf.getValue() instanceof Number n) {
                    v = n.doubleValue();
                } else if (leaf.getValue() instanceof Boolean b) {
                    v = b ? 1 : 0;
                } else {
                    continue;
                }
                HistoryStore.Outcome outcome = store.append(sample.host(), sample.plugin(), leaf.getKey().toString(),
                        time, v);
                if (outcome != HistoryStore.Outcome.RECORDED) {
                    refusals.refuse(reason(outcome), "metric " + leaf.getKey() + " of plugin "
                            + sample.plugin() + " of " + sample.host());
                }
            }
            store.putLatest(sample.host(), sample.plugin(), LatestCodec.encode(state));
        });
    }

    private static Reason reason(HistoryStore.Outcome refused) {
        return switch (refused) {
            case SERIES_FULL -> Reason.SERIES_FULL;
            case METRICS_PER_PLUGIN -> Reason.METRICS_PER_PLUGIN;
            case SIZE_NEW_SERIES -> Reason.SIZE_NEW_SERIES;
            case SIZE_POINTS -> Reason.SIZE_POINTS;
            case RECORDED -> throw new IllegalArgumentException("a value recorded was not refused");
        };
    }

    /** Takes a failure report on the core's listener thread. */
    @Override
    public void failure(PluginFailure failure) {
        failures.increment();
        PluginState state = update(failure.host(), failure.plugin(),
                s -> s == null ? PluginState.of(failure) : s.withFailure(failure));
        if (state == null) {
            return;
        }
        record(failure.host(), failure.plugin(),
                store -> store.putLatest(failure.host(), failure.plugin(), LatestCodec.encode(state)));
    }

    /**
     * Changes the latest state of a host's plugin.
     *
     * @return the new state; null when the host has as many other plugins as it may have (counted, logged)
     */
    private PluginState update(String host, String plugin, UnaryOperator<PluginState> change) {
        Map<String, PluginState> plugins = latest.computeIfAbsent(host, h -> new ConcurrentHashMap<>());
        // one listener thread calls this, so no other plugin can slip in between the check and the change
        if (!plugins.containsKey(plugin) && plugins.size() >= maxPlugins) {
            refusals.refuse(Reason.PLUGINS_PER_HOST, "plugin " + plugin + " of " + host);
            return null;
        }
        return plugins.compute(plugin, (p, s) -> change.apply(s));
    }

    /** Queues a write for a host's plugin; it is skipped when the host is forgotten before it runs. */
    private void record(String host, String plugin, Consumer<HistoryStore> write) {
        boolean queued = writer.submit(store -> {
            if (latest.containsKey(host)) {
                write.accept(store);
            }
        });
        if (!queued) {
            refusals.refuse(Reason.QUEUE_FULL, "plugin " + plugin + " of " + host);
        }
    }

    /** Drops the latest values and the history of a host the core forgot. */
    @Override
    public void hostEvent(HostEvent event) {
        if (event.type() == HostEvent.Type.FORGOTTEN) {
            latest.remove(event.host());
            writer.control(store -> store.forgetHost(event.host()));
        }
    }

    @Override
    public Map<String, PluginState> plugins(String host) {
        Map<String, PluginState> plugins = latest.get(host);
        return plugins == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(plugins));
    }

    @Override
    public Map<String, Map<String, PluginState>> all() {
        Map<String, Map<String, PluginState>> out = new TreeMap<>();
        latest.forEach((host, plugins) -> out.put(host, Collections.unmodifiableMap(new TreeMap<>(plugins))));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public List<MetricPath> metrics(String host, String plugin) {
        return writer.store().metrics(host, plugin).stream().map(MetricPath::parse).toList();
    }

    @Override
    public Optional<List<HistoryPoint>> history(String host, String plugin, MetricPath metric, Instant since,
            Instant until, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        long from = ceilMillis(since);
        long to = ceilMillis(until);
        List<HistoryStore.Point> points = writer.store().query(host, plugin, metric.toString(), from,
                to == Long.MIN_VALUE ? to : to - 1, limit);
        if (points == null) {
            return Optional.empty();
        }
        return Optional.of(points.stream().map(p -> new HistoryPoint(Instant.ofEpochMilli(p.timeMillis()),
                p.value(), p.min(), p.max(), p.count())).toList());
    }

    /** The first whole millisecond at or after {@code t}, as the store counts time. */
    private static long ceilMillis(Instant t) {
        try {
            long floor = t.toEpochMilli();
            return t.getNano() % 1_000_000 == 0 ? floor : floor + 1;
        } catch (ArithmeticException e) {
            return t.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** The writer's housekeeping: how large the store is, every second; reduction and retention, every minute or so. */
    private void housekeeping(HistoryStore store) {
        long now = clock.millis();
        if (now >= nextMeasureMillis) {
            store.measure();
            nextMeasureMillis = now + 1000;
        }
        if (now >= nextReduceMillis) {
            reduce(store, now);
        }
    }

    private void reduce(HistoryStore store, long now) {
        HistorySettings s = settings;
        long step = Math.round(s.resolution() * 1000);
        nextReduceMillis = now + Math.max(60_000, Math.min(step, 300_000));
        long changed = store.reduce(now - Math.round(s.raw() * 1000), now - Math.round(s.retention() * 1000), step);
        if (changed > 0) {
            log.debug("history: reduced or deleted {} points", changed);
        }
    }

    /**
     * The {@code history} section of {@code /api/status}: the store's file and problem, what was taken and what
     * was not recorded (by reason), the queue, the size of the store, and how many plugins are in each status.
     */
    @Override
    public Map<String, Object> status() {
        HistoryStore store = writer.store();
        Map<String, Object> out = new LinkedHashMap<>();
        Path file = store.file();
        out.put("file", file == null ? null : file.toString());
        out.put("problem", storeProblem);
        out.put("samples", samples.sum());
        out.put("errors", failures.sum());
        out.putAll(refusals.counts());
        out.put("queued", (long) writer.queued());
        out.putAll(store.counts());
        out.put("file_bytes", store.sizeOnDisk());
        out.put("used_bytes", store.usedOnDisk());
        out.put("max_plugins_per_host", (long) maxPlugins);
        out.put("max_metrics_per_plugin", (long) store.limits().maxMetricsPerPlugin());
        out.put("max_size_mb", store.limits().maxSizeBytes() / (1024 * 1024));
        out.put("hosts", (long) latest.size());
        out.put("plugins", pluginsByStatus(clock.instant()));
        return out;
    }

    private Map<String, Long> pluginsByStatus(Instant now) {
        Map<PluginState.Status, Long> counts = new EnumMap<>(PluginState.Status.class);
        for (PluginState.Status s : PluginState.Status.values()) {
            counts.put(s, 0L);
        }
        latest.values().forEach(plugins -> plugins.values().forEach(s -> counts.merge(s.status(now), 1L, Long::sum)));
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((s, n) -> out.put(s.word(), n));
        return out;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        writer.close();
    }
}
