package org.heartbeat.server.alerting.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.Severity;
import org.heartbeat.config.AlertingConfig;
import org.heartbeat.config.HostConfig;
import org.heartbeat.config.ServerConfig;
import org.heartbeat.server.api.HostDirectory;
import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.StatusSource;
import org.heartbeat.server.api.alert.Alert;
import org.heartbeat.server.api.alert.AlertRecord;
import org.heartbeat.server.api.alert.Alerts;
import org.heartbeat.server.api.alert.Silence;
import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.api.event.HostEventListener;
import org.heartbeat.server.api.notify.ChannelStatus;
import org.heartbeat.server.api.notify.Outbox;
import org.heartbeat.server.api.plugin.PluginFailure;
import org.heartbeat.server.api.plugin.PluginListener;
import org.heartbeat.server.api.plugin.PluginSample;
import org.heartbeat.server.api.user.User;
import org.heartbeat.server.api.user.UserDirectory;
import org.heartbeat.server.alerting.internal.threshold.Level;
import org.heartbeat.server.alerting.internal.threshold.ThresholdChange;
import org.heartbeat.server.alerting.internal.threshold.ThresholdEvaluator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Alerting in {@code hbd}: listens to host events and plugin samples, keeps the {@link AlertBook}, stores it in
 * {@link AlertStore}, and queues notifications in the {@link Outbox}. Everything that changes the book happens
 * under one lock, on the event delivery thread, the sample delivery thread or the {@code hbd-alerting} timer
 * thread, which wakes exactly when the book says something is due (no polling loop).
 */
@Component(service = {Alerts.class, HostEventListener.class, PluginListener.class, StatusSource.class},
        property = {HostEventListener.NAME + "=alerting", StatusSource.SECTION + "=alerting"})
public final class AlertingService implements Alerts, HostEventListener, PluginListener, StatusSource {
    /** How often hbd notes that it is alive, to tell after a restart how long it was down. */
    static final Duration ALIVE_EVERY = Duration.ofSeconds(10);
    /** A restart after a longer gap than this is notified to the admins. */
    static final Duration RESTART_NOTICE_AFTER = Duration.ofSeconds(60);
    /** How often the channels of users are checked for all failing. */
    static final Duration CHANNEL_CHECK_EVERY = Duration.ofSeconds(15);

    private final Object lock = new Object();
    private final Clock clock;
    private final Logger log;
    private final Outbox outbox;
    private final UserDirectory users;
    private final HostDirectory hosts;
    private AlertStore store;
    private final AlertBook book;
    private final Routing routing;
    private final ScheduledExecutorService timer;
    private volatile long resumeAfter = LIVE;
    private volatile ServerConfig config;
    private ScheduledFuture<?> wake;
    private Instant wakeAt;
    private final Set<String> usersFailing = new HashSet<>();
    private ThresholdEvaluator thresholds;
    /**
     * Threshold and Nagios alerts restored at start, not yet confirmed by a sample: the evaluator starts empty, so a
     * value that went back to normal while hbd was down is recognised by its absence from the evaluator's levels.
     */
    private final Set<String> unconfirmed = new HashSet<>();
    /** How long after start the restart notice waits, so that the hosts' state is restored and settled. */
    Duration restartNoticeDelay = Duration.ofSeconds(5);
    /** How often the channels of users are checked for all failing. */
    Duration channelCheckEvery = CHANNEL_CHECK_EVERY;
    private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();

    @Activate
    public AlertingService(@Reference Outbox outbox, @Reference UserDirectory users, @Reference HostDirectory hosts,
            @Reference(service = LoggerFactory.class) Logger log) {
        this(outbox, users, hosts, log, Clock.systemUTC());
    }

    AlertingService(Outbox outbox, UserDirectory users, HostDirectory hosts, Logger log, Clock clock) {
        this.outbox = outbox;
        this.users = users;
        this.hosts = hosts;
        this.log = log;
        this.clock = clock;
        this.routing = new Routing(users);
        this.book = new AlertBook(new Env());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hbd-alerting");
            t.setDaemon(true);
            return t;
        });
    }

    @Activate
    void activate() throws IOException {
        start(AlertStore.open(config.alerting().file()));
    }

    /** Restores the book from the store and starts the timers; the configuration is bound before. */
    void start(AlertStore opened) {
        synchronized (lock) {
            this.store = opened;
            Instant now = clock.instant();
            book.restore(store.alerts(), store.silences().stream().filter(s -> s.until().isAfter(now)).toList());
            thresholds = new ThresholdEvaluator(config.thresholds(), perHost(config));
            for (Alert a : book.active(now)) {
                if (a.kind() == Alert.Kind.THRESHOLD || a.kind() == Alert.Kind.NAGIOS) {
                    unconfirmed.add(a.id());
                }
            }
            this.resumeAfter = store.cursor();
            Optional<Instant> lastAlive = store.lastAlive();
            store.alive(now);
            store.commit();
            lastAlive.filter(t -> Duration.between(t, now).compareTo(RESTART_NOTICE_AFTER) > 0)
                    .ifPresent(t -> timer.schedule(() -> restartNotice(t, now), restartNoticeDelay.toMillis(),
                            TimeUnit.MILLISECONDS));
            timer.scheduleWithFixedDelay(this::alive, ALIVE_EVERY.toMillis(), ALIVE_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
            timer.scheduleWithFixedDelay(this::checkChannels, channelCheckEvery.toMillis(),
                    channelCheckEvery.toMillis(), TimeUnit.MILLISECONDS);
            book.tick(now);
            rearm();
        }
        log.info("alerting: {} active alerts, {} silences, resuming after event {}", book.active(clock.instant())
                .size(), book.silences(clock.instant()).size(), resumeAfter);
    }

    /** {@code hbd reload}: the new configuration (users, thresholds, routing, settings). */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            service = ServerConfig.class, name = "reloaded")
    void reloaded(ServerConfig newConfig) {
        this.config = newConfig;
        warnAboutRouting(newConfig);
        synchronized (lock) {
            if (store != null) {
                Instant now = clock.instant();
                for (ThresholdChange c : thresholds.reconfigure(newConfig.thresholds(), perHost(newConfig), now)) {
                    apply(c, now);
                }
                book.tick(now);
                store.commit();
                rearm();
            }
        }
    }

    void unreloaded(ServerConfig gone) {
        // the next configuration arrives through reloaded(); the one in force stays until then
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
        synchronized (lock) {
            if (store == null) {
                return;
            }
            store.alive(clock.instant());
            store.commit();
            store.close();
        }
    }

    private void warnAboutRouting(ServerConfig c) {
        if (c.users().isEmpty()) {
            if (!c.notificationChannels().isEmpty()) {
                log.warn("notification_channels are configured but no users: nobody's channels are used; add users:"
                        + " with notification_channels (docs/USERS.md)");
            }
            return;
        }
        if (c.defaultOwner() == null) {
            List<String> ownerless = c.hosts().values().stream().filter(h -> h.owner() == null)
                    .map(HostConfig::name).toList();
            log.warn("no default_owner: hosts without an owner ({}, and every host not in hosts:) notify every"
                    + " admin's channels", ownerless.isEmpty() ? "none configured" : String.join(", ", ownerless));
        }
        if (c.users().values().stream().noneMatch(u -> u.admin() && !u.channels().isEmpty())) {
            log.warn("no admin has notification_channels: notices about hbd itself and about hosts without an owner"
                    + " reach nobody");
        }
    }

    // ---- events and samples ------------------------------------------------------------------------------------

    @Override
    public long resumeAfter() {
        return resumeAfter;
    }

    @Override
    public void hostEvent(HostEvent event) {
        synchronized (lock) {
            Instant now = clock.instant();
            switch (event.type()) {
                case OVERDUE -> {
                    Instant since = event.overdueSince().or(event::deadline).orElse(event.time());
                    Duration interval = event.interval().orElse(Duration.ofSeconds((long) config.interval()));
                    book.overdue(event.host(), since, interval, event.lastSeen().orElse(null), now);
                }
                case RECOVERED -> book.recovered(event.host(), now);
                case BOOT -> book.booted(event.host(), event.bootTime().orElse(null), now);
                case FORGOTTEN -> {
                    book.forgotten(event.host(), now);
                    thresholds.forget(event.host());
                }
                default -> {
                    // NEW and NAME_CONFLICT are shown in the log and the journal, not notified
                }
            }
            store.cursor(event.id());
            store.commit();
            rearm();
        }
    }

    @Override
    public void sample(PluginSample sample) {
        String id = pluginErrorId(sample.host(), sample.plugin());
        synchronized (lock) {
            Instant now = clock.instant();
            if (book.any(a -> a.id.equals(id))) {
                book.clear(id, Texts.PLUGIN_RECOVERED_EVENT, sample.host() + ": " + sample.plugin() + " works again",
                        sample.plugin() + " of " + sample.host() + " reports values again", now);
            }
            for (ThresholdChange c : thresholds.evaluate(sample)) {
                apply(c, now);
            }
            if (!unconfirmed.isEmpty()) {
                confirmRestored(sample, now);
            }
            store.commit();
            rearm();
        }
    }

    /** The alert id of a threshold or Nagios change: stable for as long as the condition lasts and when it returns. */
    static String alertId(ThresholdChange c) {
        return c.kind() == Alert.Kind.NAGIOS ? c.host() + "/nagios/" + c.subject()
                : c.host() + "/threshold/" + c.plugin() + c.path();
    }

    /** Raises, updates or closes the alert of a threshold or Nagios change. Under the lock. */
    private void apply(ThresholdChange c, Instant now) {
        String id = alertId(c);
        unconfirmed.remove(id);
        String title = c.host() + ": " + c.subject() + (c.recovered() ? " recovered" : " " + c.to());
        if (c.recovered()) {
            if (c.cause() == ThresholdChange.Cause.UNCONFIGURED) {
                book.dismiss(id, now);
            } else {
                book.clear(id, c.kind() == Alert.Kind.NAGIOS ? Texts.NAGIOS_EVENT : Notification.THRESHOLD_RECOVERED,
                        title, c.message(), now);
            }
            return;
        }
        String event = c.kind() == Alert.Kind.NAGIOS ? Texts.NAGIOS_EVENT : c.to() == Level.CRITICAL
                ? Notification.THRESHOLD_CRITICAL : Notification.THRESHOLD_WARNING;
        book.raise(id, c.host(), c.kind(), c.subject(), severity(c.to()), event, title, c.message(), c.value(),
                c.threshold(), c.since(), now);
    }

    static Severity severity(Level level) {
        return switch (level) {
            case OK -> Severity.OK;
            case WARNING -> Severity.WARNING;
            case CRITICAL -> Severity.CRITICAL;
            case UNKNOWN -> Severity.UNKNOWN;
        };
    }

    /**
     * Restored threshold and Nagios alerts of the sample's host and plugin that the evaluator does not hold as
     * not OK after this sample were cleared while hbd was down: closed, and their recovery told.
     */
    private void confirmRestored(PluginSample sample, Instant now) {
        Set<String> notOk = new HashSet<>();
        for (var st : thresholds.levels(sample.host())) {
            notOk.add(st.kind() == Alert.Kind.NAGIOS ? sample.host() + "/nagios/" + st.path().segments().get(1)
                    : sample.host() + "/threshold/" + st.plugin() + st.path());
        }
        for (Alert.Kind kind : new Alert.Kind[] {Alert.Kind.THRESHOLD, Alert.Kind.NAGIOS}) {
            for (AlertState a : book.alertsOf(sample.host(), kind)) {
                boolean ofThisPlugin = kind == Alert.Kind.NAGIOS ? sample.plugin().equals(ThresholdEvaluator.NAGIOS)
                        : a.subject.startsWith(sample.plugin() + " ");
                if (!ofThisPlugin || !unconfirmed.remove(a.id) || notOk.contains(a.id)) {
                    continue;
                }
                book.clear(a.id, kind == Alert.Kind.NAGIOS ? Texts.NAGIOS_EVENT : Notification.THRESHOLD_RECOVERED,
                        a.host + ": " + a.subject + " recovered", a.subject + " recovered while hbd was down", now);
            }
        }
    }

    private static Map<String, org.heartbeat.config.ThresholdsConfig> perHost(ServerConfig c) {
        Map<String, org.heartbeat.config.ThresholdsConfig> m = new LinkedHashMap<>();
        for (HostConfig h : c.hosts().values()) {
            if (!h.thresholds().isEmpty()) {
                m.put(h.name(), h.thresholds());
            }
        }
        return m;
    }

    @Override
    public void failure(PluginFailure failure) {
        String id = pluginErrorId(failure.host(), failure.plugin());
        synchronized (lock) {
            Instant now = clock.instant();
            book.raise(id, failure.host(), Alert.Kind.PLUGIN_ERROR, failure.plugin(), Severity.WARNING,
                    Notification.PLUGIN_ERROR, failure.host() + ": " + failure.plugin() + " fails",
                    failure.plugin() + " of " + failure.host() + " reports an error: " + failure.message(), null,
                    null, failure.received(), now);
            store.commit();
            rearm();
        }
    }

    private static String pluginErrorId(String host, String plugin) {
        return host + "/plugin/" + plugin;
    }

    // ---- Alerts ------------------------------------------------------------------------------------------------

    @Override
    public List<Alert> active() {
        synchronized (lock) {
            return book.active(clock.instant());
        }
    }

    @Override
    public Optional<Alert> get(String id) {
        synchronized (lock) {
            return book.get(id, clock.instant());
        }
    }

    @Override
    public List<Alert> acknowledge(String host, String alertId, String user, String comment) {
        synchronized (lock) {
            List<Alert> done = book.acknowledge(host, alertId, user, comment, clock.instant());
            store.commit();
            rearm();
            for (Alert a : done) {
                log.info("alert {} acknowledged by {}{}", a.id(), user, comment.isEmpty() ? "" : ": " + comment);
            }
            return done;
        }
    }

    @Override
    public Silence silence(String host, Duration length, String user, String reason) {
        synchronized (lock) {
            Silence s = book.silence(host, length, user, reason, clock.instant());
            store.save(s);
            store.commit();
            rearm();
            log.info("{} silenced until {} by {} (silence {}){}", host == null ? "every host" : host,
                    Texts.time(s.until()), user, s.id(), reason.isEmpty() ? "" : ": " + reason);
            return s;
        }
    }

    @Override
    public boolean unsilence(String silenceId, String user) {
        synchronized (lock) {
            Optional<Silence> s = book.unsilence(silenceId, clock.instant());
            s.ifPresent(x -> {
                store.removeSilence(x.id());
                store.commit();
                log.info("silence {} of {} lifted by {}", x.id(), x.host().orElse("every host"), user);
            });
            rearm();
            return s.isPresent();
        }
    }

    @Override
    public List<AlertRecord> history(String host, int limit) {
        synchronized (lock) {
            return store.history(host, limit);
        }
    }

    @Override
    public List<Silence> silences() {
        synchronized (lock) {
            return book.silences(clock.instant());
        }
    }

    // ---- status ------------------------------------------------------------------------------------------------

    @Override
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        synchronized (lock) {
            Instant now = clock.instant();
            List<Alert> active = book.active(now);
            s.put("active", active.size());
            s.put("acknowledged", active.stream().filter(a -> a.acknowledgement().isPresent()).count());
            s.put("silences", book.silences(now).size());
            s.put("notificationsQueued", sent.get());
            s.put("usersWithoutWorkingChannel", List.copyOf(usersFailing));
        }
        return s;
    }

    // ---- time --------------------------------------------------------------------------------------------------

    /** Schedules the timer thread for the book's next due moment. Under the lock. */
    private void rearm() {
        Instant next = book.nextWake();
        Instant due = thresholds == null ? null : thresholds.nextDue().orElse(null);
        if (due != null && (next == null || due.isBefore(next))) {
            next = due;
        }
        if (next == null || next.equals(wakeAt) && wake != null && !wake.isDone()) {
            return;
        }
        if (wake != null) {
            wake.cancel(false);
        }
        wakeAt = next;
        long delay = Math.max(0, Duration.between(clock.instant(), next).toMillis());
        wake = timer.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            synchronized (lock) {
                wakeAt = null;
                Instant now = clock.instant();
                for (ThresholdChange c : thresholds.tick(now)) {
                    apply(c, now);
                }
                book.tick(now);
                store.commit();
                rearm();
            }
        } catch (RuntimeException e) {
            log.error("alerting: {}", e.toString(), e);
        }
    }

    private void alive() {
        synchronized (lock) {
            store.alive(clock.instant());
            store.commit();
        }
    }

    /** One notice to the admins after hbd was down for a while: how long, and what it found. */
    private void restartNotice(Instant lastAlive, Instant startedAt) {
        try {
            Map<HostStatus, Integer> counts = hosts.counts();
            List<String> overdue = hosts.hosts().stream().filter(h -> h.status() == HostStatus.OVERDUE)
                    .map(h -> h.name()).toList();
            String body = "hbd was down for about " + Texts.duration(Duration.between(lastAlive, startedAt))
                    + " (last alive " + Texts.time(lastAlive) + "). It found " + hosts.size() + " hosts: " + counts
                    + (overdue.isEmpty() ? "" : "; overdue: " + Texts.list(overdue, 20)) + ".";
            Notification n = Notification.builder().id(UUID.randomUUID().toString()).event(Texts.RESTART_EVENT)
                    .severity(Severity.INFO).title("hbd is back").body(body).time(clock.instant()).build();
            for (String ch : routing.adminChannels()) {
                enqueue(ch, n);
            }
            log.info("restart notice: {}", body);
        } catch (RuntimeException e) {
            log.error("alerting: restart notice: {}", e.toString(), e);
        }
    }

    /** Raises in the log (and the status) when every channel of a user is failing, and when that ends. */
    private void checkChannels() {
        try {
            Map<String, ChannelStatus> byName = new LinkedHashMap<>();
            for (ChannelStatus c : outbox.channels()) {
                byName.put(c.name(), c);
            }
            for (User u : users.users()) {
                if (u.channels().isEmpty()) {
                    continue;
                }
                boolean allFailing = u.channels().stream().allMatch(ch -> byName.containsKey(ch)
                        && byName.get(ch).failing());
                synchronized (lock) {
                    if (allFailing && usersFailing.add(u.name())) {
                        List<String> why = new ArrayList<>();
                        for (String ch : u.channels()) {
                            ChannelStatus c = byName.get(ch);
                            why.add(ch + ": " + (!c.available() ? "no bundle provides type " + c.type()
                                    : c.lastProblem()));
                        }
                        log.error("every notification channel of {} is failing, so {} hears nothing: {}", u.name(),
                                u.name(), String.join("; ", why));
                    } else if (!allFailing && usersFailing.remove(u.name())) {
                        log.info("a notification channel of {} works again", u.name());
                    }
                }
            }
        } catch (RuntimeException e) {
            log.error("alerting: channel check: {}", e.toString(), e);
        }
    }

    private void enqueue(String channel, Notification n) {
        try {
            outbox.enqueue(channel, n);
            sent.incrementAndGet();
        } catch (IllegalArgumentException e) {
            log.error("alerting: cannot queue a notification for {}: {}", channel, e.getMessage());
        }
    }

    /** The book's surroundings: configuration, routing, the outbox and the store. */
    private final class Env implements AlertBook.Env {
        private AlertBook.Settings settings;
        private ServerConfig settingsOf;

        @Override
        public AlertBook.Settings settings() {
            ServerConfig c = config;
            if (c != settingsOf) {
                AlertingConfig a = c.alerting();
                settings = new AlertBook.Settings(a.notifyAfter(), a.baseUrl(),
                        Duration.ofMillis((long) (a.remindEvery() * 1000)), a.flappingChanges(),
                        Duration.ofMillis((long) (a.flappingWindow() * 1000)), a.stormHosts(),
                        Duration.ofMillis((long) (a.stormWindow() * 1000)));
                settingsOf = c;
            }
            return settings;
        }

        @Override
        public int notifyAfter(String host) {
            HostConfig h = config.hosts().get(host);
            return h != null && h.notifyAfter() > 0 ? h.notifyAfter() : config.alerting().notifyAfter();
        }

        @Override
        public List<String> parents(String host) {
            HostConfig h = config.hosts().get(host);
            return h == null ? List.of() : h.dependsOn();
        }

        @Override
        public Set<String> channels(String host) {
            return routing.channels(host);
        }

        @Override
        public boolean isOverdue(String host) {
            return hosts.host(host).map(h -> h.status() == HostStatus.OVERDUE).orElse(false);
        }

        @Override
        public Optional<Instant> deadlineIfUp(String host) {
            return hosts.host(host).filter(h -> h.status() == HostStatus.UP).flatMap(h -> h.deadline());
        }

        @Override
        public void send(String channel, Notification notification) {
            enqueue(channel, notification);
        }

        @Override
        public void saved(AlertState alert) {
            store.save(alert);
        }

        @Override
        public void removed(String id) {
            store.remove(id);
        }

        @Override
        public void history(AlertState a, String step, String text, String user, Instant now) {
            store.record(new AlertRecord(0, now, a.id, a.host, a.kind, a.severity, step, text, user),
                    HISTORY_KEPT);
        }
    }
}
