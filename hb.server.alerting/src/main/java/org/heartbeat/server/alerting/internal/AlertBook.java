package org.heartbeat.server.alerting.internal;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.Severity;
import org.heartbeat.server.api.alert.Acknowledgement;
import org.heartbeat.server.api.alert.Alert;
import org.heartbeat.server.api.alert.Silence;

/**
 * The alert lifecycle, without threads or OSGi: which alerts are active, when each is notified and to whom, what
 * is held back and summarised. Not thread-safe: the engine calls it under one lock, with the time of each call, and
 * calls {@link #tick(Instant)} at the latest at {@link #nextWake()}.
 *
 * <ul>
 * <li>An overdue host is notified once {@code notify_after} deadlines are missed in a row: at its first deadline
 * plus {@code notify_after - 1} intervals. A recovery is notified only for an alert that was.</li>
 * <li>A silence covering the host keeps its alerts unannounced; when the silence ends, those still active are
 * notified once. An acknowledgement stops reminders until the alert recovers.</li>
 * <li>An overdue host whose parent ({@code depends_on}) is overdue is held back; the parent's notification names
 * it, or a dependency summary does.</li>
 * <li>The storm guard: when {@code storm_hosts} hosts are due to be notified as overdue within
 * {@code storm_window}, the later ones are summarised in one message per channel ({@link #STORM_FLUSH} after the
 * storm began, then at most once per window) and their recoveries likewise. The first {@code storm_hosts - 1}
 * go out at once, so a lone host is never delayed.</li>
 * <li>Flapping: an alert raised or recovered {@code flapping_changes} times within {@code flapping_window} is
 * notified once as flapping, then kept quiet until it has not changed for a whole window, which is notified once
 * more with its state then.</li>
 * </ul>
 */
final class AlertBook {
    /** How long the storm guard collects before its first summary. */
    static final Duration STORM_FLUSH = Duration.ofSeconds(5);
    /** How long held-back children of a notified parent are collected before their summary. */
    static final Duration DEPENDENCY_FLUSH = Duration.ofSeconds(5);
    /** How long after an up parent's deadline a child waiting for it is looked at again. */
    static final Duration PARENT_MARGIN = Duration.ofMillis(200);

    /** What the book needs from its surroundings. */
    interface Env {
        Settings settings();

        /** {@code notify_after} for a host (its own, else the top-level one). */
        int notifyAfter(String host);

        /** The hosts a host depends on ({@code depends_on}). */
        List<String> parents(String host);

        /**
         * The deadline of a host that is up (its last heartbeat plus interval plus grace); empty when it is not up or
         * unknown. A child waits for its parents' deadlines before it is notified, so that a parent and the hosts
         * behind it, silenced by one cause, are told as one.
         */
        default Optional<Instant> deadlineIfUp(String host) {
            return Optional.empty();
        }

        /**
         * Whether the host is overdue now, by the host table: its own overdue event may not have reached alerting
         * yet when a child's does.
         */
        default boolean isOverdue(String host) {
            return false;
        }

        /** Where a host's notifications go. */
        Set<String> channels(String host);

        /** Queues a notification for a channel (persisted by the outbox before it returns). */
        void send(String channel, Notification notification);

        /** The alert changed: store it. */
        void saved(AlertState alert);

        /** The alert ended: forget it in the store. */
        void removed(String id);

        /** A step in the alert's life, for its history: raised, notified, recovered, ... */
        default void history(AlertState alert, String step, String text, String user, Instant now) {
        }
    }

    /**
     * @param notifyAfter the top-level {@code notify_after}
     * @param baseUrl for links to a host's page; empty for none
     * @param remindEvery 0 for no reminders
     */
    record Settings(int notifyAfter, String baseUrl, Duration remindEvery, int flappingChanges,
            Duration flappingWindow, int stormHosts, Duration stormWindow) {
    }

    private final Env env;
    private final Map<String, AlertState> alerts = new LinkedHashMap<>();
    private final Map<String, Silence> silences = new LinkedHashMap<>();
    private final Map<String, Deque<Instant>> changes = new HashMap<>();
    private final Set<String> flapping = new LinkedHashSet<>();
    private final Deque<Instant> overdueNotices = new ArrayDeque<>();
    /** Storm: hosts announced, and recoveries, waiting for the next summary. */
    private final Set<String> stormHeld = new LinkedHashSet<>();
    private final Set<String> stormRecovered = new LinkedHashSet<>();
    private Instant stormFlushAt;
    private Instant stormLastOverdue;
    /** Dependency: children held back after their parent was notified, waiting for a summary, by parent. */
    private final Map<String, Set<String>> dependencyHeld = new LinkedHashMap<>();
    private Instant dependencyFlushAt;

    AlertBook(Env env) {
        this.env = env;
    }

    /** Restores what the store kept (at start). */
    void restore(Collection<AlertState> stored, Collection<Silence> storedSilences) {
        for (AlertState a : stored) {
            alerts.put(a.id, a);
        }
        for (Silence s : storedSilences) {
            silences.put(s.id(), s);
        }
    }

    // ---- events ------------------------------------------------------------------------------------------------

    /**
     * A host missed its deadline.
     *
     * @param since the deadline it missed (when it became overdue)
     * @param interval its interval: the next deadlines follow at this pace
     * @param lastSeen its last heartbeat, for the message; null when unknown
     */
    void overdue(String host, Instant since, Duration interval, Instant lastSeen, Instant now) {
        String id = AlertState.overdueId(host);
        if (alerts.containsKey(id)) {
            return; // a replayed event: already known
        }
        AlertState a = new AlertState(id, host, Alert.Kind.OVERDUE, "");
        a.severity = Severity.CRITICAL;
        a.since = since;
        a.message = host + " is overdue: no heartbeat since "
                + (lastSeen == null ? "it was last seen" : Texts.time(lastSeen)) + " (interval "
                + Texts.duration(interval) + ")";
        int n = Math.max(1, env.notifyAfter(host));
        a.notifyAt = since.plus(interval.multipliedBy(n - 1L));
        alerts.put(id, a);
        env.history(a, "raised", a.message, null, now);
        changed(id, now);
        env.saved(a);
        tick(now);
    }

    /** An overdue host reported again. */
    void recovered(String host, Instant now) {
        AlertState a = alerts.remove(AlertState.overdueId(host));
        if (a != null) {
            env.removed(a.id);
            String text = host + " is back after " + Texts.duration(Duration.between(a.since, now)) + " overdue";
            a.severity = Severity.OK;
            env.history(a, "recovered", text, null, now);
            changed(a.id, now);
            ended(a, Notification.HOST_RECOVERED, host + " recovered", text, now);
        }
        // children held back behind it that are still overdue are notified now on their own
        for (AlertState child : List.copyOf(alerts.values())) {
            if (child.kind == Alert.Kind.OVERDUE && child.heldBack != null && child.lastNotified == null
                    && env.parents(child.host).contains(host)) {
                child.heldBack = null;
                child.notifyAt = now;
                env.saved(child);
            }
        }
        tick(now);
    }

    /** A host reported a boot: an information, not an alert. */
    void booted(String host, Instant bootTime, Instant now) {
        if (silenced(host, now)) {
            return;
        }
        send(env.channels(host), notification(Notification.HOST_BOOTED, Severity.INFO, host, host + " booted",
                host + " booted" + (bootTime == null ? "" : " at " + Texts.time(bootTime)), now));
    }

    /** A host was forgotten: its alerts end without a word. */
    void forgotten(String host, Instant now) {
        alerts.values().removeIf(a -> {
            if (a.host.equals(host)) {
                env.history(a, "closed", host + " was forgotten", null, now);
                env.removed(a.id);
                return true;
            }
            return false;
        });
        tick(now);
    }

    /**
     * A condition of a host other than overdue is raised or changes severity (a threshold, a Nagios check, a plugin
     * error). Notified at once (durations are the evaluator's job), unless held back.
     */
    void raise(String id, String host, Alert.Kind kind, String subject, Severity severity, String event,
            String title, String message, Double value, Double threshold, Instant since, Instant now) {
        AlertState a = alerts.get(id);
        if (a != null && a.severity == severity) {
            return;
        }
        boolean escalation = a == null || severity.compareTo(a.severity) > 0;
        boolean raised = a == null;
        if (a == null) {
            a = new AlertState(id, host, kind, subject);
            a.since = since;
            alerts.put(id, a);
        }
        a.severity = severity;
        a.value = value;
        a.threshold = threshold;
        a.message = message;
        env.history(a, raised ? "raised" : "changed", message, null, now);
        if (escalation) {
            a.ack = null; // a worse state is news again
        }
        a.notifyAt = now;
        pendingTitles.put(id, new String[] {event, title});
        changed(id, now);
        env.saved(a);
        tick(now);
    }

    /** A condition raised by {@link #raise} is over. */
    void clear(String id, String event, String title, String message, Instant now) {
        AlertState a = alerts.remove(id);
        pendingTitles.remove(id);
        if (a == null) {
            return;
        }
        env.removed(id);
        a.severity = Severity.OK;
        env.history(a, "recovered", message, null, now);
        changed(id, now);
        ended(a, event, title, message, now);
        tick(now);
    }

    /** A condition ends without a word (its rule was removed by a reload). */
    void dismiss(String id, Instant now) {
        pendingTitles.remove(id);
        AlertState a = alerts.remove(id);
        if (a != null) {
            env.history(a, "closed", "its rule was removed", null, now);
            env.removed(id);
        }
    }

    /** The active alerts of one host and kind, for checking restored ones against the evaluator. */
    List<AlertState> alertsOf(String host, Alert.Kind kind) {
        return alerts.values().stream().filter(a -> a.host.equals(host) && a.kind == kind).toList();
    }

    /** The events and titles of raised alerts whose notification is due, by alert id. */
    private final Map<String, String[]> pendingTitles = new HashMap<>();

    // ---- people ------------------------------------------------------------------------------------------------

    List<Alert> acknowledge(String host, String alertId, String user, String comment, Instant now) {
        List<Alert> done = new ArrayList<>();
        for (AlertState a : alerts.values()) {
            if (a.host.equals(host) && (alertId == null || a.id.equals(alertId)) && a.ack == null) {
                a.ack = new Acknowledgement(user, now, comment);
                env.history(a, "acknowledged", comment, user, now);
                env.saved(a);
                done.add(view(a, now));
            }
        }
        return done;
    }

    Silence silence(String host, Duration length, String user, String reason, Instant now) {
        if (length.isNegative() || length.isZero() || length.compareTo(Duration.ofDays(366)) > 0) {
            throw new IllegalArgumentException("a silence lasts more than 0 seconds and at most a year, not "
                    + Texts.duration(length));
        }
        Silence s = new Silence(UUID.randomUUID().toString().substring(0, 8), Optional.ofNullable(host), now,
                now.plus(length), user, reason);
        silences.put(s.id(), s);
        return s;
    }

    Optional<Silence> unsilence(String id, Instant now) {
        Silence s = silences.remove(id);
        if (s != null) {
            tick(now);
        }
        return Optional.ofNullable(s);
    }

    List<Silence> silences(Instant now) {
        silences.values().removeIf(s -> !s.until().isAfter(now));
        return silences.values().stream().sorted(Comparator.comparing(Silence::until)).toList();
    }

    List<Alert> active(Instant now) {
        return alerts.values().stream().sorted(Comparator.comparing((AlertState a) -> a.since))
                .map(a -> view(a, now)).toList();
    }

    Optional<Alert> get(String id, Instant now) {
        return Optional.ofNullable(alerts.get(id)).map(a -> view(a, now));
    }

    private Alert view(AlertState a, Instant now) {
        return a.view(silenced(a.host, now), flapping.contains(a.id));
    }

    boolean silenced(String host, Instant now) {
        for (Silence s : silences.values()) {
            if (s.covers(host, now)) {
                return true;
            }
        }
        return false;
    }

    // ---- time --------------------------------------------------------------------------------------------------

    /** Does what is due: notifications, summaries, reminders, the end of silences and of flapping. */
    void tick(Instant now) {
        silences.values().removeIf(s -> !s.until().isAfter(now));
        settleFlapping(now);
        for (AlertState a : List.copyOf(alerts.values())) {
            if (a.notifyAt != null && !a.notifyAt.isAfter(now)) {
                due(a, now);
            }
        }
        remind(now);
        flushStorm(now);
        flushDependencies(now);
    }

    /** When {@link #tick} should run next; null when nothing waits. */
    Instant nextWake() {
        Instant next = null;
        for (AlertState a : alerts.values()) {
            next = min(next, a.notifyAt);
            Duration remind = env.settings().remindEvery();
            if (!remind.isZero() && a.lastNotified != null && a.ack == null) {
                next = min(next, a.lastNotified.plus(remind));
            }
        }
        for (Silence s : silences.values()) {
            next = min(next, s.until());
        }
        next = min(next, stormFlushAt);
        next = min(next, dependencyFlushAt);
        for (String id : flapping) {
            Deque<Instant> d = changes.get(id);
            if (d != null && !d.isEmpty()) {
                next = min(next, d.peekLast().plus(env.settings().flappingWindow()));
            }
        }
        return next;
    }

    private static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private void due(AlertState a, Instant now) {
        if (silenced(a.host, now)) {
            return; // stays due: notified when the silence ends
        }
        if (flapping.contains(a.id)) {
            a.notifyAt = null;
            env.saved(a);
            return;
        }
        if (a.kind == Alert.Kind.OVERDUE) {
            Optional<String> parent = overdueParent(a.host);
            if (parent.isPresent()) {
                a.heldBack = "depends on " + parent.get() + ", which is overdue";
                a.notifyAt = null;
                env.history(a, "held", a.heldBack, null, now);
                AlertState p = alerts.get(AlertState.overdueId(parent.get()));
                if (p != null && p.lastNotified != null) {
                    dependencyHeld.computeIfAbsent(parent.get(), k -> new LinkedHashSet<>()).add(a.host);
                    dependencyFlushAt = dependencyFlushAt == null ? now.plus(DEPENDENCY_FLUSH) : dependencyFlushAt;
                }
                env.saved(a);
                return;
            }
            Instant parentDeadline = null;
            for (String p : env.parents(a.host)) {
                Optional<Instant> d = env.deadlineIfUp(p);
                if (d.isPresent() && d.get().isAfter(now) && (parentDeadline == null || d.get().isAfter(parentDeadline))) {
                    parentDeadline = d.get();
                }
            }
            if (parentDeadline != null) {
                // the parent may be about to go overdue for the same cause: decide once its deadline has passed
                a.notifyAt = parentDeadline.plus(PARENT_MARGIN);
                env.saved(a);
                return;
            }
            if (storm(a, now)) {
                return;
            }
            List<String> children = heldChildren(a.host);
            String body = a.message + (children.isEmpty() ? "" : "; also overdue behind it: "
                    + Texts.list(children, 20));
            notify(a, Notification.HOST_OVERDUE, a.host + " is overdue", body, now);
            for (String child : children) {
                AlertState c = alerts.get(AlertState.overdueId(child));
                c.lastNotified = now;
                c.notifyAt = null;
                c.heldBack = null;
                c.viaSummary = true;
                env.history(c, "notified", "in " + a.host + "'s notice", null, now);
                env.saved(c);
            }
            return;
        }
        String[] eventAndTitle = pendingTitles.remove(a.id);
        String event = eventAndTitle == null ? eventFor(a) : eventAndTitle[0];
        String title = eventAndTitle == null ? a.host + ": " + a.subject + " " + a.severity : eventAndTitle[1];
        notify(a, event, title, a.message, now);
    }

    private static String eventFor(AlertState a) {
        return switch (a.kind) {
            case THRESHOLD -> a.severity == Severity.CRITICAL ? Notification.THRESHOLD_CRITICAL
                    : Notification.THRESHOLD_WARNING;
            case PLUGIN_ERROR -> Notification.PLUGIN_ERROR;
            case NAGIOS -> Texts.NAGIOS_EVENT;
            case OVERDUE -> Notification.HOST_OVERDUE;
        };
    }

    private void notify(AlertState a, String event, String title, String body, Instant now) {
        send(env.channels(a.host), notification(event, a.severity, a.host, title, body, now));
        env.history(a, "notified", title, null, now);
        a.notifyAt = null;
        a.lastNotified = now;
        a.heldBack = null;
        env.saved(a);
    }

    /** An alert ended: its recovery is notified when the alert was, and nothing holds it back. */
    private void ended(AlertState a, String event, String title, String text, Instant now) {
        if (a.lastNotified == null || flapping.contains(a.id) || silenced(a.host, now)) {
            return;
        }
        if (a.viaSummary) {
            stormRecovered.add(a.host);
            stormFlushAt = stormFlushAt == null ? now.plus(STORM_FLUSH) : stormFlushAt;
            return;
        }
        send(env.channels(a.host), notification(event, Severity.OK, a.host, title, text, now));
    }

    private Optional<String> overdueParent(String host) {
        for (String parent : env.parents(host)) {
            if (alerts.containsKey(AlertState.overdueId(parent)) || env.isOverdue(parent)) {
                return Optional.of(parent);
            }
        }
        return Optional.empty();
    }

    private List<String> heldChildren(String parent) {
        List<String> children = new ArrayList<>();
        for (AlertState c : alerts.values()) {
            // held back behind it, or waiting for its deadline: told now, in its message
            if (c.kind == Alert.Kind.OVERDUE && c.lastNotified == null && (c.heldBack != null || c.notifyAt != null)
                    && env.parents(c.host).contains(parent)) {
                children.add(c.host);
            }
        }
        return children;
    }

    /** Whether the storm guard takes this overdue notice into a summary. */
    private boolean storm(AlertState a, Instant now) {
        Duration window = env.settings().stormWindow();
        while (!overdueNotices.isEmpty() && !overdueNotices.peekFirst().isAfter(now.minus(window))) {
            overdueNotices.removeFirst();
        }
        overdueNotices.addLast(now);
        boolean storming = stormLastOverdue != null && now.isBefore(stormLastOverdue.plus(window))
                && (!stormHeld.isEmpty() || stormFlushAt != null);
        if (!storming && overdueNotices.size() < env.settings().stormHosts()) {
            return false;
        }
        stormLastOverdue = now;
        stormHeld.add(a.host);
        a.heldBack = "storm: many hosts went overdue at once; summarised";
        a.notifyAt = null;
        env.history(a, "held", a.heldBack, null, now);
        env.saved(a);
        if (stormFlushAt == null) {
            stormFlushAt = now.plus(STORM_FLUSH);
        }
        return true;
    }

    private void flushStorm(Instant now) {
        if (stormFlushAt == null || stormFlushAt.isAfter(now)) {
            return;
        }
        stormFlushAt = null;
        if (!stormHeld.isEmpty()) {
            Map<String, List<String>> byChannel = new LinkedHashMap<>();
            for (String host : stormHeld) {
                AlertState a = alerts.get(AlertState.overdueId(host));
                if (a == null) {
                    continue; // recovered before the summary: nobody was told, nobody needs to be
                }
                a.lastNotified = now;
                a.viaSummary = true;
                a.heldBack = null;
                env.saved(a);
                for (String ch : env.channels(host)) {
                    byChannel.computeIfAbsent(ch, k -> new ArrayList<>()).add(host);
                }
            }
            stormHeld.clear();
            for (Map.Entry<String, List<String>> e : byChannel.entrySet()) {
                int n = e.getValue().size();
                env.send(e.getKey(), notification(Notification.SUMMARY, Severity.CRITICAL, null,
                        n + (n == 1 ? " more host is" : " more hosts are") + " overdue (storm guard)",
                        "Many hosts went overdue within " + Texts.duration(env.settings().stormWindow())
                                + ", which suggests a problem of the network near hbd: "
                                + Texts.list(e.getValue(), 30) + ". Each one's recovery is summarised too.",
                        now));
            }
        }
        if (!stormRecovered.isEmpty()) {
            Map<String, List<String>> byChannel = new LinkedHashMap<>();
            for (String host : stormRecovered) {
                for (String ch : env.channels(host)) {
                    byChannel.computeIfAbsent(ch, k -> new ArrayList<>()).add(host);
                }
            }
            stormRecovered.clear();
            for (Map.Entry<String, List<String>> e : byChannel.entrySet()) {
                int n = e.getValue().size();
                env.send(e.getKey(), notification(Notification.SUMMARY, Severity.OK, null,
                        n + (n == 1 ? " host is" : " hosts are") + " back", "Back: " + Texts.list(e.getValue(), 30)
                                + still(), now));
            }
        }
    }

    private String still() {
        long still = alerts.values().stream().filter(a -> a.kind == Alert.Kind.OVERDUE && a.viaSummary).count();
        return still == 0 ? "." : "; " + still + " still overdue.";
    }

    private void flushDependencies(Instant now) {
        if (dependencyFlushAt == null || dependencyFlushAt.isAfter(now)) {
            return;
        }
        dependencyFlushAt = null;
        for (Map.Entry<String, Set<String>> e : dependencyHeld.entrySet()) {
            List<String> children = new ArrayList<>();
            for (String child : e.getValue()) {
                AlertState c = alerts.get(AlertState.overdueId(child));
                if (c != null && c.lastNotified == null) {
                    c.lastNotified = now;
                    c.viaSummary = true;
                    env.saved(c);
                    children.add(child);
                }
            }
            if (children.isEmpty()) {
                continue;
            }
            String parent = e.getKey();
            send(env.channels(parent), notification(Notification.SUMMARY, Severity.CRITICAL, parent,
                    children.size() + (children.size() == 1 ? " host" : " hosts") + " behind " + parent
                            + " overdue too",
                    "Overdue behind " + parent + " (depends_on), held back while it is overdue: "
                            + Texts.list(children, 30) + ".",
                    now));
        }
        dependencyHeld.clear();
    }

    private void remind(Instant now) {
        Duration every = env.settings().remindEvery();
        if (every.isZero()) {
            return;
        }
        for (AlertState a : alerts.values()) {
            if (a.lastNotified != null && a.notifyAt == null && a.ack == null && !a.viaSummary
                    && !flapping.contains(a.id) && !a.lastNotified.plus(every).isAfter(now)
                    && !silenced(a.host, now)) {
                send(env.channels(a.host), notification(eventFor(a), a.severity, a.host,
                        "Reminder: " + a.host + " " + (a.kind == Alert.Kind.OVERDUE ? "is overdue"
                                : a.subject + " " + a.severity),
                        a.message + " (since " + Texts.time(a.since) + "; acknowledge to stop reminders)", now));
                a.lastNotified = now;
                env.saved(a);
            }
        }
    }

    // ---- flapping ----------------------------------------------------------------------------------------------

    /** Records a raise or a recovery of an alert id and starts flapping when they come too often. */
    private void changed(String id, Instant now) {
        Settings s = env.settings();
        Deque<Instant> d = changes.computeIfAbsent(id, k -> new ArrayDeque<>());
        d.addLast(now);
        while (!d.isEmpty() && d.peekFirst().isBefore(now.minus(s.flappingWindow()))) {
            d.removeFirst();
        }
        if (!flapping.contains(id) && d.size() >= s.flappingChanges()) {
            flapping.add(id);
            AlertState a = alerts.get(id);
            String host = hostOf(id, a);
            if (a != null) {
                env.history(a, "flapping", d.size() + " changes within " + Texts.duration(s.flappingWindow()), null,
                        now);
            }
            send(env.channels(host), notification(Texts.FLAPPING_EVENT, Severity.WARNING, host,
                    host + ": " + describe(id) + " is flapping",
                    describe(id) + " of " + host + " changed " + d.size() + " times within "
                            + Texts.duration(s.flappingWindow()) + "; further changes are not notified until it"
                            + " settles for " + Texts.duration(s.flappingWindow()) + ".",
                    now));
        }
    }

    private void settleFlapping(Instant now) {
        Duration window = env.settings().flappingWindow();
        for (Iterator<String> it = flapping.iterator(); it.hasNext();) {
            String id = it.next();
            Deque<Instant> d = changes.get(id);
            if (d != null && !d.isEmpty() && d.peekLast().plus(window).isAfter(now)) {
                continue;
            }
            it.remove();
            changes.remove(id);
            AlertState a = alerts.get(id);
            String host = hostOf(id, a);
            String state = a == null ? "it is fine now" : "it is still " + (a.kind == Alert.Kind.OVERDUE
                    ? "overdue" : a.severity.toString()) + ": " + a.message;
            send(env.channels(host), notification(Texts.SETTLED_EVENT, a == null ? Severity.OK : a.severity, host,
                    host + ": " + describe(id) + " settled", describe(id) + " stopped flapping; " + state, now));
            if (a != null) {
                env.history(a, "settled", state, null, now);
                a.lastNotified = now;
                a.notifyAt = null;
                env.saved(a);
            }
        }
        // forget change records that can no longer count
        changes.entrySet().removeIf(e -> !flapping.contains(e.getKey()) && e.getValue().peekLast() != null
                && e.getValue().peekLast().plus(window).isBefore(now));
    }

    private static String hostOf(String id, AlertState a) {
        return a != null ? a.host : id.substring(0, id.indexOf('/'));
    }

    private static String describe(String id) {
        String what = id.substring(id.indexOf('/') + 1);
        return what.equals("overdue") ? "overdue" : what.replace('/', ' ');
    }

    // ---- sending -----------------------------------------------------------------------------------------------

    private void send(Set<String> channels, Notification n) {
        for (String ch : channels) {
            env.send(ch, n);
        }
    }

    private Notification notification(String event, Severity severity, String host, String title, String body,
            Instant now) {
        Notification.Builder b = Notification.builder().id(UUID.randomUUID().toString()).event(event)
                .severity(severity).title(title).body(body).time(now);
        if (host != null) {
            b.host(host);
            String base = env.settings().baseUrl();
            if (!base.isEmpty()) {
                b.link(URI.create(base + "/plugins/" + Texts.urlSegment(host)));
            }
        }
        return b.build();
    }

    /** For tests and the status: how many alerts of each kind are active. */
    Map<Alert.Kind, Long> counts() {
        Map<Alert.Kind, Long> counts = new LinkedHashMap<>();
        for (AlertState a : alerts.values()) {
            counts.merge(a.kind, 1L, Long::sum);
        }
        return counts;
    }

    /** Whether any alert of a host matches. */
    boolean any(Predicate<AlertState> p) {
        return alerts.values().stream().anyMatch(p);
    }
}
