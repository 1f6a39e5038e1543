package org.heartbeat.server.outbox.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.NotificationChannel;
import org.heartbeat.config.Section;
import org.heartbeat.server.api.StatusSource;
import org.heartbeat.server.api.notify.ChannelStatus;
import org.heartbeat.server.api.notify.Outbox;
import org.heartbeat.server.api.notify.OutboxEntry;
import org.heartbeat.server.api.notify.OutboxEntry.State;
import org.heartbeat.server.outbox.internal.EntryCodec.ChannelRecord;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The outbox: notifications persisted until their channel's service takes them (docs/design/outbox.md). Alerting
 * queues into it from its own threads ({@link #enqueue} returns once the entry is committed to the file); every
 * {@link NotificationChannel} service, named by its {@value NotificationChannel#NAME} property, gets a
 * {@link ChannelQueue} with a thread of its own that sends one entry at a time, while the {@link Ledger} decides
 * what is due, what is retried when, and what the send limit folds into a summary. A channel that goes away takes
 * its thread with it; its entries wait for it. A watchdog thread interrupts sends that pass the timeout and prunes
 * finished entries every minute.
 *
 * <p>When the file cannot be opened (in use, damaged, not writable) the outbox works in memory, says so at ERROR and
 * in its status, and hbd goes on: notifications still go out, but are lost if hbd stops.
 */
@Component(service = {Outbox.class, StatusSource.class}, property = StatusSource.SECTION + "=outbox",
        configurationPid = OutboxSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = OutboxSettings.class)
public final class OutboxService implements Outbox, StatusSource {
    /** Opens the store in a file; tests stand in stores of their own. */
    interface Opener {
        OutboxStore open(Path file) throws IOException;
    }

    /** The shortest {@code keep}: the send limit counts the deliveries of the last hour. */
    static final Duration MIN_KEEP = Duration.ofHours(1);
    static final long HOUSEKEEPING_MILLIS = 60_000;
    /** How long removing a channel or stopping the outbox waits for a channel's thread to end. */
    static final Duration STOP_WAIT = Duration.ofSeconds(5);
    /** The framework's service property {@code service.id} (org.osgi.framework.Constants, not imported for one name). */
    static final String SERVICE_ID = "service.id";

    private final Logger log;
    private final Clock clock;
    private final Duration timeout;
    private final OutboxStore store;
    private final String storeProblem;
    private final Ledger ledger;
    private final ScheduledThreadPoolExecutor watchdog;
    private final Map<String, ChannelQueue> queues = new ConcurrentHashMap<>();
    private volatile Map<String, String> configured = Map.of();
    private volatile Duration giveUpAfter;
    private volatile Duration keep;
    private volatile boolean active = true;

    @Activate
    public OutboxService(OutboxSettings settings, @Reference(service = LoggerFactory.class) Logger log) {
        this(settings, log, Clock.systemUTC(), OutboxStore::open, Backoff.DEFAULT,
                Duration.ofSeconds(NotificationChannel.TIMEOUT_SECONDS));
    }

    OutboxService(OutboxSettings settings, Logger log, Clock clock, Opener opener, Backoff backoff,
            Duration timeout) {
        this.log = log;
        this.clock = clock;
        this.timeout = timeout;
        apply(settings);
        Path file = Section.expandHome(settings.file());
        OutboxStore opened;
        String problem = null;
        try {
            opened = opener.open(file);
        } catch (IOException | RuntimeException e) {
            problem = e.getMessage();
            log.error("{}; the outbox works in memory only until this is fixed and hbd restarted: notifications"
                    + " queued meanwhile are lost if hbd stops", e.getMessage());
            opened = OutboxStore.inMemory();
        }
        this.store = opened;
        this.storeProblem = problem;
        this.ledger = new Ledger(store, backoff, log);
        ledger.failUnconfigured(configured.keySet(), clock.instant());
        this.watchdog = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "hb-outbox-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.setRemoveOnCancelPolicy(true);
        watchdog.scheduleWithFixedDelay(this::housekeeping, HOUSEKEEPING_MILLIS, HOUSEKEEPING_MILLIS,
                TimeUnit.MILLISECONDS);
        log.info("outbox in {}: {} pending, channels {}", store.file() == null ? "memory" : store.file(),
                ledger.counts().of(State.PENDING), configured.keySet());
    }

    private void apply(OutboxSettings s) {
        this.giveUpAfter = seconds("giveUpAfter", s.giveUpAfter(), Duration.ofDays(1), Duration.ofSeconds(1));
        this.keep = seconds("keep", s.keep(), Duration.ofDays(7), MIN_KEEP);
        this.configured = channels(s.channels());
    }

    private Duration seconds(String attribute, double value, Duration otherwise, Duration least) {
        if (!(value > 0) || Double.isInfinite(value)) {
            log.warn("outbox setting {} must be a positive number of seconds, got {}; using {} s", attribute, value,
                    otherwise.toSeconds());
            return otherwise;
        }
        Duration d = Duration.ofMillis(Math.round(value * 1000));
        if (d.compareTo(least) < 0) {
            log.warn("outbox setting {} must be at least {} s, got {}; using {} s", attribute, least.toSeconds(),
                    value, least.toSeconds());
            return least;
        }
        return d;
    }

    /** {@code name:type} pairs by name; malformed ones are logged and left out. */
    private Map<String, String> channels(String[] specs) {
        Map<String, String> out = new TreeMap<>();
        for (String spec : specs == null ? new String[0] : specs) {
            if (spec == null || spec.isBlank()) {
                continue; // a metatype default of no channels
            }
            int colon = spec.lastIndexOf(':');
            if (colon <= 0 || colon == spec.length() - 1) {
                log.warn("outbox setting channels: {} is not name:type and is left out", spec);
                continue;
            }
            out.put(spec.substring(0, colon), spec.substring(colon + 1));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * A reload: new channels, give-up time and keep take effect at once; pending entries of channels no longer
     * configured fail for good. A new file takes effect when hbd restarts.
     */
    @Modified
    void modified(OutboxSettings settings) {
        Path file = Section.expandHome(settings.file());
        if (store.file() != null && !file.equals(store.file())) {
            log.warn("outbox file changed to {}: the outbox keeps {} until hbd restarts", file, store.file());
        }
        apply(settings);
        ledger.failUnconfigured(configured.keySet(), clock.instant());
        queues.values().forEach(ChannelQueue::wake);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        active = false;
        for (ChannelQueue q : new ArrayList<>(queues.values())) {
            queues.remove(q.name(), q);
            q.stop(STOP_WAIT);
        }
        watchdog.shutdownNow();
        try {
            store.close();
        } catch (RuntimeException e) {
            log.error("closing the outbox file {} failed: {}", store.file(), e.toString());
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeChannel", updated = "updatedChannel")
    void addChannel(NotificationChannel channel, Map<String, Object> properties) {
        Object name = properties.get(NotificationChannel.NAME);
        long id = serviceId(properties);
        if (name == null || name.toString().isBlank()) {
            log.warn("notification channel service {} has no {} property and is left out", id,
                    NotificationChannel.NAME);
            return;
        }
        if (!active) {
            return;
        }
        int max = maxPerHour(properties);
        ChannelQueue q = new ChannelQueue(name.toString(), channel, id, max, ledger, clock, () -> giveUpAfter,
                watchdog, timeout, log);
        ChannelQueue before = queues.putIfAbsent(q.name(), q);
        if (before != null) {
            log.warn("two services provide channel {}: service {} sends, service {} is left out", q.name(),
                    before.serviceId(), id);
            return;
        }
        q.start();
        log.info("channel {} is available ({}; max_per_hour {}), {} pending", q.name(),
                configured.getOrDefault(q.name(), "not in notification_channels"), max,
                ledger.counts().pending(q.name()));
    }

    void updatedChannel(NotificationChannel channel, Map<String, Object> properties) {
        long id = serviceId(properties);
        Object name = properties.get(NotificationChannel.NAME);
        ChannelQueue q = byService(id);
        if (q != null && name != null && q.name().equals(name.toString())) {
            q.maxPerHour(maxPerHour(properties));
        } else {
            removeChannel(channel, properties);
            addChannel(channel, properties);
        }
    }

    void removeChannel(NotificationChannel channel, Map<String, Object> properties) {
        ChannelQueue q = byService(serviceId(properties));
        if (q == null || !queues.remove(q.name(), q)) {
            return;
        }
        try {
            q.stop(STOP_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("channel {} went away; {} entries wait for it", q.name(), ledger.counts().pending(q.name()));
    }

    private ChannelQueue byService(long id) {
        return queues.values().stream().filter(q -> q.serviceId() == id).findFirst().orElse(null);
    }

    private static long serviceId(Map<String, Object> properties) {
        return properties.get(SERVICE_ID) instanceof Number n ? n.longValue() : -1;
    }

    /** The channel's {@value NotificationChannel#MAX_PER_HOUR}: a number or a numeric string; 0 otherwise. */
    private int maxPerHour(Map<String, Object> properties) {
        Object v = properties.get(NotificationChannel.MAX_PER_HOUR);
        try {
            int max = v instanceof Number n ? n.intValue() : v == null ? 0 : Integer.parseInt(v.toString().trim());
            return Math.max(0, max);
        } catch (NumberFormatException e) {
            log.warn("channel {}: {} {} is no number; no send limit", properties.get(NotificationChannel.NAME),
                    NotificationChannel.MAX_PER_HOUR, v);
            return 0;
        }
    }

    @Override
    public OutboxEntry enqueue(String channel, Notification notification) {
        Objects.requireNonNull(notification, "notification");
        if (!configured.containsKey(channel)) {
            throw new IllegalArgumentException("no channel named " + channel + " in notification_channels");
        }
        StoredEntry e = ledger.enqueue(channel, notification, clock.instant());
        wake(channel);
        return e;
    }

    @Override
    public List<OutboxEntry> entries(State state, int limit) {
        return List.copyOf(ledger.entries(state, limit));
    }

    @Override
    public Optional<OutboxEntry> entry(String id) {
        return ledger.entry(id).map(e -> e);
    }

    @Override
    public boolean retry(String id) {
        if (!ledger.retry(id, clock.instant())) {
            return false;
        }
        ledger.entry(id).ifPresent(e -> wake(e.channel()));
        return true;
    }

    @Override
    public List<ChannelStatus> channels() {
        Ledger.Counts counts = ledger.counts();
        List<ChannelStatus> out = new ArrayList<>();
        configured.forEach((name, type) -> {
            ChannelQueue q = queues.get(name);
            ChannelRecord r = ledger.channel(name);
            out.add(new ChannelStatus(name, type, q != null, counts.pending(name), r.consecutiveFailures(),
                    Optional.ofNullable(r.lastDelivered()), r.lastProblem(), q == null ? 0 : q.maxPerHour()));
        });
        return out;
    }

    @Override
    public Delivery test(String channel, Notification notification) throws InterruptedException {
        Objects.requireNonNull(notification, "notification");
        String type = configured.get(channel);
        if (type == null) {
            return Delivery.failed("no channel named " + channel + " in notification_channels");
        }
        ChannelQueue q = queues.get(channel);
        if (q == null) {
            return Delivery.failed("no bundle provides channel type " + type + " (install hb.notify." + type + ")");
        }
        Duration wait = timeout.multipliedBy(2).plusSeconds(1);
        try {
            return q.test(notification).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Delivery.failed("channel " + channel + " is busy: a send has not returned within "
                    + wait.toSeconds() + " s");
        } catch (ExecutionException e) {
            return Delivery.failed("channel " + channel + ": " + e.getCause());
        }
    }

    /**
     * The {@code outbox} section of {@code /api/status}: the file and its problem, entries by state, and each
     * configured channel with whether it is available or failing.
     */
    @Override
    public Map<String, Object> status() {
        Ledger.Counts counts = ledger.counts();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", store.file() == null ? null : store.file().toString());
        out.put("problem", storeProblem != null ? storeProblem : ledger.problem());
        out.put("pending", (long) counts.of(State.PENDING));
        out.put("delivered", (long) counts.of(State.DELIVERED));
        out.put("failed", (long) counts.of(State.FAILED));
        out.put("summarised", (long) counts.of(State.SUMMARISED));
        out.put("unreadable", (long) ledger.unreadable());
        Map<String, Object> channels = new LinkedHashMap<>();
        long failing = 0;
        for (ChannelStatus c : channels()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", c.type());
            m.put("available", c.available());
            m.put("failing", c.failing());
            m.put("pending", (long) c.pending());
            m.put("consecutive_failures", (long) c.consecutiveFailures());
            m.put("last_delivered", c.lastDelivered().map(Object::toString).orElse(null));
            m.put("last_problem", c.lastProblem());
            m.put("max_per_hour", (long) c.maxPerHour());
            channels.put(c.name(), m);
            failing += c.failing() ? 1 : 0;
        }
        out.put("failing_channels", failing);
        out.put("channels", channels);
        return out;
    }

    /** Deletes what {@code keep} no longer covers; every minute on the watchdog thread. */
    int prune() {
        return ledger.prune(clock.instant(), keep);
    }

    private void housekeeping() {
        try {
            int n = prune();
            if (n > 0) {
                log.debug("outbox: pruned {} finished entries", n);
            }
        } catch (RuntimeException e) {
            log.error("outbox housekeeping failed: {}", e.toString(), e);
        }
    }

    /** Makes every channel look again: for tests that move their clock. */
    void wakeAll() {
        queues.values().forEach(ChannelQueue::wake);
    }

    private void wake(String channel) {
        ChannelQueue q = queues.get(channel);
        if (q != null) {
            q.wake();
        }
    }
}
