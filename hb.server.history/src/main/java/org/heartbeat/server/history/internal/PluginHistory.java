package org.heartbeat.server.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.heartbeat.api.MetricPath;
import org.heartbeat.api.Metrics;
import org.heartbeat.config.Section;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every host's plugin values: the latest of each plugin, in memory for the API and {@code /metrics}, and
 * their history in the {@link HistoryStore}. The receiver hands samples in on its thread and never waits: the
 * store is written by a thread of its own, which also reduces old samples and enforces the retention. A host
 * the registry forgets takes its values and history with it. At start the latest values are read back, so
 * the API shows them at once after a restart.
 */
@Component(service = {MetricStore.class, HostEventListener.class}, configurationPid = HistorySettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = HistorySettings.class)
public final class MetricStore implements HostEventListener {
    private static final int QUEUE = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Logger log;
    private final Map<String, Map<String, PluginState>> latest = new ConcurrentHashMap<>();
    private final BlockingQueue<Runnable> tasks = new ArrayBlockingQueue<>(QUEUE);
    private final LongAdder samples = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder overflow = new LongAdder();
    private final LongAdder seriesFull = new LongAdder();
    private final Thread writer;
    private final RateLimitedLog limited;
    private volatile HistorySettings settings;
    private volatile HistoryStore store;
    private volatile String storeProblem;
    private volatile boolean running = true;
    private volatile long nextReduceMillis;

    @Activate
    public MetricStore(HistorySettings settings, @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.limited = new RateLimitedLog(60_000, log::warn);
        this.settings = settings;
        this.store = open(Section.expandHome(settings.file()));
        restoreLatest();
        this.writer = new Thread(this::run, "hbd-history");
        writer.setDaemon(true);
        writer.start();
    }

    private HistoryStore open(Path file) {
        try {
            HistoryStore s = HistoryStore.open(file);
            storeProblem = null;
            log.info("plugin history in {} (raw {} s, retention {} s, resolution {} s)", file, settings.raw(),
                    settings.retention(), settings.resolution());
            return s;
        } catch (IOException | RuntimeException e) {
            storeProblem = e.getMessage();
            log.error("{}; plugin values are kept in memory only until this is fixed and hbd restarted",
                    e.getMessage());
            return HistoryStore.inMemory();
        }
    }

    private void restoreLatest() {
        int n = 0;
        for (Map.Entry<String, Map<String, byte[]>> host : store.latest().entrySet()) {
            for (Map.Entry<String, byte[]> plugin : host.getValue().entrySet()) {
                try {
                    PluginState s = decode(plugin.getValue());
                    latest.computeIfAbsent(host.getKey(), h -> new ConcurrentHashMap<>()).put(plugin.getKey(), s);
                    n++;
                } catch (IOException | IllegalArgumentException e) {
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
        if (!before.file().equals(newSettings.file())) {
            submit(() -> {
                HistoryStore old = store;
                store = open(Section.expandHome(newSettings.file()));
                old.close();
                latest.forEach((host, plugins) -> plugins.forEach((plugin, s) -> store.putLatest(host, plugin,
                        encode(s))));
            });
        }
        nextReduceMillis = 0;
    }

    /**
     * Takes a sample (on the receiver's thread; returns at once).
     *
     * @return false when the values are not a valid sample (an empty key, say): nothing is kept
     */
    boolean sample(String host, String plugin, long timeMillis, long intervalMillis, Map<String, Object> tree,
            long receivedMillis) {
        Metrics values;
        try {
            values = Metrics.of(tree);
        } catch (IllegalArgumentException e) {
            rejected.increment();
            limited.log("sample", receivedMillis, "dropped a sample of plugin {} of {}: {}", plugin, host,
                    e.getMessage());
            return false;
        }
        samples.increment();
        PluginState state = latest.computeIfAbsent(host, h -> new ConcurrentHashMap<>())
                .compute(plugin, (p, s) -> (s == null ? PluginState.NONE : s).withSample(timeMillis, receivedMillis,
                        intervalMillis, values));
        submit(() -> {
            HistoryStore s = store;
            for (Map.Entry<MetricPath, Object> leaf : values.leaves().entrySet()) {
                double v;
                if (leaf.getValue() instanceof Number n) {
                    v = n.doubleValue();
                } else if (leaf.getValue() instanceof Boolean b) {
                    v = b ? 1 : 0;
                } else {
                    continue;
                }
                if (!s.append(host, plugin, leaf.getKey().toString(), receivedMillis, v)) {
                    seriesFull.increment();
                    limited.log("series", System.currentTimeMillis(),
                            "the history holds {} series, the most it can: new metrics are not recorded",
                            HistoryStore.MAX_SERIES);
                }
            }
            s.putLatest(host, plugin, encode(state));
        });
        return true;
    }

    /** Takes a plugin's error report (on the receiver's thread; returns at once). */
    void error(String host, String plugin, long intervalMillis, String message, long receivedMillis) {
        errors.increment();
        PluginState state = latest.computeIfAbsent(host, h -> new ConcurrentHashMap<>())
                .compute(plugin, (p, s) -> (s == null ? PluginState.NONE : s).withError(receivedMillis,
                        intervalMillis, message));
        submit(() -> store.putLatest(host, plugin, encode(state)));
    }

    private void submit(Runnable task) {
        if (!tasks.offer(task)) {
            overflow.increment();
            limited.log("overflow", System.currentTimeMillis(),
                    "the history store falls behind: {} samples could not be recorded so far", overflow.sum());
        }
    }

    /** The latest state of every plugin of a host, by plugin name; empty when none reported. */
    public Map<String, PluginState> plugins(String host) {
        Map<String, PluginState> plugins = latest.get(host);
        return plugins == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(plugins));
    }

    /** The latest state of every plugin of every host, hosts and plugins sorted by name. */
    public Map<String, Map<String, PluginState>> all() {
        Map<String, Map<String, PluginState>> out = new TreeMap<>();
        latest.forEach((host, plugins) -> out.put(host, Collections.unmodifiableMap(new TreeMap<>(plugins))));
        return out;
    }

    /**
     * The history of one metric, oldest first, at most {@code limit} points.
     *
     * @return null when nothing was ever recorded for it
     */
    public List<HistoryStore.Point> history(String host, String plugin, MetricPath metric, long since, long until,
            int limit) {
        return store.query(host, plugin, metric.toString(), since, until, limit);
    }

    /** The metric paths with history of one plugin of a host. */
    public List<String> metrics(String host, String plugin) {
        return store.metrics(host, plugin);
    }

    @Override
    public void hostEvent(HostEvent event) {
        if (event.type() == HostEvent.Type.FORGOTTEN) {
            latest.remove(event.host());
            submit(() -> store.forgetHost(event.host()));
        }
    }

    private void run() {
        while (running || !tasks.isEmpty()) {
            Runnable task;
            try {
                task = tasks.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                break; // not expected: deactivate() wakes the thread with a task, since an interrupt would
                       // close the store's file channel in the middle of a write
            }
            try {
                if (task != null) {
                    task.run();
                }
                reduceWhenDue();
            } catch (RuntimeException e) {
                limited.log("write", System.currentTimeMillis(), "writing the plugin history failed: {}", e.toString());
            }
        }
    }

    private void reduceWhenDue() {
        long now = System.currentTimeMillis();
        if (now < nextReduceMillis) {
            return;
        }
        HistorySettings s = settings;
        long step = Math.round(s.resolution() * 1000);
        nextReduceMillis = now + Math.max(60_000, Math.min(step, 300_000));
        long changed = store.reduce(now - Math.round(s.raw() * 1000), now - Math.round(s.retention() * 1000), step);
        if (changed > 0) {
            log.debug("history: reduced or deleted {} points", changed);
        }
    }

    /** Counters and sizes for the status API. */
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        Path file = store.file();
        out.put("file", file == null ? null : file.toString());
        out.put("problem", storeProblem);
        out.put("samples", samples.sum());
        out.put("errors", errors.sum());
        out.put("rejected", rejected.sum());
        out.put("not_recorded_queue_full", overflow.sum());
        out.put("not_recorded_series_full", seriesFull.sum());
        out.put("queued", (long) tasks.size());
        out.putAll(store.counts());
        return out;
    }

    private static byte[] encode(PluginState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", s.timeMillis());
        m.put("received", s.receivedMillis());
        m.put("interval", s.intervalMillis());
        m.put("values", s.values() == null ? null : s.values().asMap());
        m.put("error", s.error());
        m.put("error_time", s.errorMillis());
        try {
            return JSON.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static PluginState decode(byte[] bytes) throws IOException {
        Map<String, Object> m = JSON.readValue(bytes, new TypeReference<Map<String, Object>>() { });
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) m.get("values");
        return new PluginState(number(m, "time"), number(m, "received"), number(m, "interval"),
                values == null ? null : Metrics.of(values), (String) m.get("error"), number(m, "error_time"));
    }

    private static long number(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : 0;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        running = false;
        tasks.offer(() -> { });
        writer.join(TimeUnit.SECONDS.toMillis(30));
        store.close();
    }
}
