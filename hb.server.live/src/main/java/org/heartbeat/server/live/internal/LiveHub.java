package org.heartbeat.server.live.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.heartbeat.server.api.HostDirectory;
import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.ServerStatus;
import org.heartbeat.server.api.alert.Alert;
import org.heartbeat.server.api.alert.Alerts;
import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.api.event.HostEventListener;
import org.heartbeat.server.api.plugin.PluginListener;
import org.heartbeat.server.api.plugin.PluginSample;
import org.heartbeat.server.api.user.User;
import org.heartbeat.server.api.user.UserDirectory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The live updates' source: the open connections, and batches for all of them of what changed: host events as the
 * core delivers them (on its delivery thread for this listener, which only queues them), host rows whose heartbeat,
 * RTT or status changed (heartbeats have no event, so the rows of {@link HostDirectory#hosts()} are compared), the
 * newest plugin values per host and plugin (on the plugin delivery thread, which only keeps the newest), and alerts
 * that are new, changed or cleared ({@link Alerts#active()} compared). The batch is written as JSON once and queued
 * on every connection ({@link Connection}); connections of users who are not admins get their own hosts' part only.
 *
 * <p>When a batch goes: a batch at most every {@value #FLUSH_MILLIS} ms, so that a busy server sends a few large
 * messages a second rather than one per heartbeat; but when nothing was sent for that long (the quiet case: a
 * heartbeat every few seconds per host), the first change goes at once. The flush thread looks every
 * {@value #TICK_MILLIS} ms for a sign of change that costs nothing to read: a queued event or sample, or the core's
 * count of acknowledged heartbeats ({@link ServerStatus#datagrams()}, {@code acked}, counted once the heartbeat is in
 * the host's row); only then, or when the {@value #FLUSH_MILLIS} ms are up, are the rows compared. So a heartbeat
 * reaches an open page some milliseconds after it arrives instead of 50 on average.
 *
 * <p>The flush thread {@code hbd-live} does the work, and only while a connection is open; a failing flush is
 * logged and the next one tries again. Without connections, events and samples are not even queued.
 */
@Component(service = {LiveHub.class, HostEventListener.class, PluginListener.class},
        property = HostEventListener.NAME + "=live")
public final class LiveHub implements HostEventListener, PluginListener {
    static final long FLUSH_MILLIS = 100;
    /** How often the flush thread looks for a sign of change. */
    static final long TICK_MILLIS = 10;
    private static final long FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
    /** Messages a connection may have waiting before it is given a fresh snapshot instead (about 3 s of batches). */
    static final int QUEUE = 32;
    /** Pings keep quiet connections open: Jetty closes a WebSocket idle for {@value LiveServlets#IDLE_SECONDS} s. */
    static final long PING_SECONDS = 25;

    private final HostDirectory directory;
    private final Logger log;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Queue<HostEvent> events = new ConcurrentLinkedQueue<>();
    private final Map<String, PluginSample> samples = new ConcurrentHashMap<>();
    private final Changes changes = new Changes();
    private final ScheduledExecutorService timer;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Alerts alerts;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile UserDirectory users;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ServerStatus server;

    // the flush thread's own (tick): when it last compared, when it last sent, the heartbeats it has seen
    private long lastFlush;
    private long lastSent;
    private long ackedSeen = -1;
    private boolean started;

    @Activate
    public LiveHub(@Reference HostDirectory directory, @Reference(service = LoggerFactory.class) Logger log) {
        this(directory, log, true);
    }

    /** Tests call {@link #flush()} themselves, without the flush thread. */
    LiveHub(HostDirectory directory, Logger log, boolean flushThread) {
        this.directory = directory;
        this.log = log;
        if (flushThread) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "hbd-live");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::tickLogged, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
            timer.scheduleWithFixedDelay(this::ping, PING_SECONDS, PING_SECONDS, TimeUnit.SECONDS);
        } else {
            timer = null;
        }
    }

    @Deactivate
    void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
        }
        for (Connection c : List.copyOf(connections)) {
            c.close();
        }
    }

    /**
     * A WebSocket opened (on a Jetty thread): its connection, which sends the snapshot at once. {@code viewer} is
     * the authenticated user, or null without users.
     */
    Connection open(Connection.Sink sink, User viewer) {
        Predicate<String> visible = visibility(viewer);
        Connection c = new Connection(sink, () -> snapshot(visible), visible, QUEUE, connections::remove);
        connections.add(c);
        c.start();
        return c;
    }

    int connections() {
        return connections.size();
    }

    /** Admins and anonymous viewers (no users configured) see every host; other users the hosts they own. */
    Predicate<String> visibility(User viewer) {
        if (viewer == null || viewer.admin()) {
            return null;
        }
        String name = viewer.name();
        return host -> {
            UserDirectory u = users;
            return u != null && u.owner(host).map(o -> o.name().equals(name)).orElse(false);
        };
    }

    String snapshot(Predicate<String> visible) {
        List<Views.Host> hosts = new ArrayList<>();
        for (HostView h : directory.hosts()) {
            if (visible == null || visible.test(h.name())) {
                hosts.add(Views.Host.of(h));
            }
        }
        List<Views.AlertView> active = new ArrayList<>();
        Alerts a = alerts;
        if (a != null) {
            for (Alert alert : a.active()) {
                if (visible == null || visible.test(alert.host())) {
                    active.add(Views.AlertView.of(alert));
                }
            }
        }
        return Views.snapshot(hosts, active);
    }

    @Override
    public void hostEvent(HostEvent event) {
        if (!connections.isEmpty()) {
            events.add(event);
        }
    }

    @Override
    public void sample(PluginSample sample) {
        if (!connections.isEmpty()) {
            samples.put(sample.host() + '\0' + sample.plugin(), sample);
        }
    }

    private void ping() {
        for (Connection c : connections) {
            try {
                c.ping();
            } catch (RuntimeException e) {
                c.close();
            }
        }
    }

    private void tickLogged() {
        try {
            tick(System.nanoTime());
        } catch (RuntimeException e) {
            log.warn("live updates: a flush failed, the next one tries again", e);
        }
    }

    /**
     * The flush thread's look, every {@value #TICK_MILLIS} ms ({@code now} from {@link System#nanoTime()}): a flush
     * when {@value #FLUSH_MILLIS} ms have passed since the last one, or sooner when nothing was sent for that long
     * and something changed. Called by the flush thread, and by tests with a clock of their own.
     */
    void tick(long now) {
        if (connections.isEmpty()) {
            events.clear();
            samples.clear();
            return;
        }
        if (!started) {
            started = true;
            lastFlush = now - FLUSH_NANOS;
            lastSent = now - FLUSH_NANOS;
        }
        boolean due = now - lastFlush >= FLUSH_NANOS;
        // read the sign every time, so that a heartbeat that came with a flush is not taken for a new one later
        boolean changed = changeSign();
        if (!due && (now - lastSent < FLUSH_NANOS || !changed)) {
            return;
        }
        lastFlush = now;
        if (flush()) {
            lastSent = now;
        }
    }

    /** Whether an event or sample waits, or the core acknowledged a heartbeat since the last look. */
    private boolean changeSign() {
        boolean sign = !events.isEmpty() || !samples.isEmpty();
        ServerStatus s = server;
        Long acked = s == null ? null : s.datagrams().get("acked");
        if (acked != null && acked != ackedSeen) {
            ackedSeen = acked;
            sign = true;
        }
        return sign;
    }

    /**
     * One batch to every connection, if anything changed; whether one was sent. Called by {@link #tick}, and by
     * tests.
     */
    boolean flush() {
        if (connections.isEmpty()) {
            events.clear();
            samples.clear();
            return false;
        }
        List<Views.Update> updates = new ArrayList<>();
        for (HostEvent e; (e = events.poll()) != null;) {
            updates.add(Views.Event.of(e));
        }
        updates.addAll(changes.hosts(directory.hosts()));
        if (!samples.isEmpty()) {
            Map<String, PluginSample> taken = new LinkedHashMap<>();
            for (String key : List.copyOf(samples.keySet())) {
                PluginSample s = samples.remove(key);
                if (s != null) {
                    taken.put(key, s);
                }
            }
            taken.values().forEach(s -> updates.add(Views.Plugin.of(s)));
        }
        Alerts a = alerts;
        if (a != null) {
            updates.addAll(changes.alerts(a.active()));
        }
        if (updates.isEmpty()) {
            return false;
        }
        String shared = Views.batch(updates);
        for (Connection c : connections) {
            c.offer(updates, shared);
        }
        return true;
    }
}
