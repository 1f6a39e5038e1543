package org.heartbeat.server.internal.host;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.heartbeat.protocol.ClientMessage;
import org.heartbeat.protocol.Command;
import org.heartbeat.protocol.Heartbeat;
import org.heartbeat.protocol.HostKey;
import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.PendingCommand;
import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.api.Addresses;
import org.heartbeat.server.internal.util.Durations;

/**
 * The hosts the server tracks and the rules of their lives: when a host is up, overdue, back, forgotten; which
 * datagrams are replays; what commands wait for it. Thread-safe: the receiver, the deadline timer and readers work
 * on it at once, each host under its own lock. Every change of a host's status is handed to the {@link EventSink}
 * under that lock, so a host's events are in the order its changes happened.
 */
public final class HostTable implements AutoCloseable {
    /** What became of a heartbeat. */
    public enum Verdict {
        ACCEPTED,
        /** An authenticated datagram whose sequence number was seen before. */
        REPLAYED,
        /** A new host while {@code max_hosts} hosts are already tracked. */
        HOST_LIMIT
    }

    /** What became of a heartbeat, and the commands its ACK carries. */
    public record Outcome(Verdict verdict, List<Command> commands) {
        static final Outcome REPLAYED = new Outcome(Verdict.REPLAYED, List.of());
        static final Outcome HOST_LIMIT = new Outcome(Verdict.HOST_LIMIT, List.of());
        static final Outcome NOTHING_QUEUED = new Outcome(Verdict.ACCEPTED, List.of());
    }

    /** What becomes of a plugin datagram. */
    public enum PluginVerdict {
        ACCEPTED,
        /** Signed with a sequence number seen before. */
        REPLAYED,
        /** From a host that is not tracked: it never sent a heartbeat, or was forgotten. */
        UNKNOWN_HOST
    }

    /**
     * The settings of the whole table; hosts may override interval and grace.
     *
     * @param maxIntervalMillis the longest interval a client may announce; longer ones are cut to it
     */
    public record Settings(long intervalMillis, long graceMillis, int maxHosts, long forgetAfterMillis,
            long maxIntervalMillis) {
    }

    /** A host from the configuration's {@code hosts:} section; interval 0 and grace -1 mean not set. */
    public record Configured(String name, long intervalMillis, long graceMillis, HostKey key, String owner,
            List<String> dependsOn, List<String> tags) {
    }

    /** Where events go: gives each its id and keeps it. Called under a host's lock, so it must return at once. */
    public interface EventSink {
        HostEvent append(HostEvent.Builder event);
    }

    private static final long CONFLICT_WINDOW = TimeUnit.MINUTES.toMillis(10);
    private static final long CONFLICT_REPEAT = TimeUnit.HOURS.toMillis(1);

    private final ConcurrentHashMap<String, HostState> hosts = new ConcurrentHashMap<>();
    private final Ticker ticker;
    private final EventSink events;
    private final Consumer<RuntimeException> errors;
    private final DeadlineTimer timer;
    private volatile Settings settings;
    private volatile Map<String, Configured> configured = Map.of();
    private volatile Set<String> expected = Set.of();
    /** After an unclean stop: signed datagrams of hosts not heard from since must be sent after this; else 0. */
    private volatile long sentNotBeforeMillis;

    public HostTable(Settings settings, Ticker ticker, EventSink events, Consumer<RuntimeException> errors) {
        this.settings = settings;
        this.ticker = ticker;
        this.events = events;
        this.errors = errors;
        this.timer = new DeadlineTimer(ticker, this::expire, errors, "hbd-deadlines");
    }

    public void settings(Settings newSettings) {
        this.settings = newSettings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Replaces the configured hosts. A configured host that has never reported is tracked from now on: it is
     * {@code unknown} until its interval plus grace have passed, then overdue.
     */
    public void configure(Map<String, Configured> newConfigured) {
        Map<String, Configured> previous = this.configured;
        this.configured = Map.copyOf(newConfigured);
        long now = ticker.nanos();
        for (String name : previous.keySet()) {
            HostState h = newConfigured.containsKey(name) ? null : hosts.get(name);
            if (h == null) {
                continue;
            }
            boolean schedule = false;
            synchronized (h) {
                // no longer configured: the announced or the server's times apply again
                long was = h.intervalMillis + h.graceMillis;
                applyTimes(h);
                if (!h.forgotten && h.status == HostStatus.UP && h.intervalMillis + h.graceMillis != was) {
                    h.deadlineNanos = h.lastSeenNanos + millisToNanos(h.intervalMillis + h.graceMillis);
                    schedule = scheduleEarlier(h);
                }
            }
            if (schedule) {
                timer.schedule(h, h.scheduledNanos);
            }
        }
        for (Configured c : newConfigured.values()) {
            HostState h = hosts.computeIfAbsent(c.name(), this::unknownHost);
            boolean schedule = false;
            synchronized (h) {
                long before = h.intervalMillis + h.graceMillis;
                applyTimes(h);
                if (h.heartbeats == 0 && h.lastSeenMillis == 0 && h.scheduledNanos == HostState.NOT_SCHEDULED
                        && h.status == HostStatus.UNKNOWN) {
                    h.deadlineNanos = now + millisToNanos(h.intervalMillis + h.graceMillis);
                    h.scheduledNanos = h.deadlineNanos;
                    schedule = true;
                } else if (h.status == HostStatus.UP && h.intervalMillis + h.graceMillis != before) {
                    // a host that reports: its deadline moves with the configured interval at once
                    h.deadlineNanos = h.lastSeenNanos + millisToNanos(h.intervalMillis + h.graceMillis);
                    schedule = scheduleEarlier(h);
                }
            }
            if (schedule) {
                timer.schedule(h, h.scheduledNanos);
            }
        }
    }

    private HostState unknownHost(String name) {
        HostState fresh = newHost(name);
        fresh.status = HostStatus.UNKNOWN;
        return fresh;
    }

    private HostState newHost(String name) {
        HostState h = new HostState(name);
        h.sentNotBeforeMillis = sentNotBeforeMillis;
        return h;
    }

    /**
     * Names the hosts the configuration lists, before their own settings arrive: they are never forgotten, even
     * while their settings are still on the way (at start, or during a reload).
     */
    public void expect(Set<String> names) {
        this.expected = Set.copyOf(names);
    }

    /** The key a host must sign with, or null when it need not. */
    public HostKey keyOf(String host) {
        Configured c = configured.get(host);
        return c == null ? null : c.key();
    }

    public boolean isConfigured(String host) {
        return configured.containsKey(host);
    }

    public int size() {
        return hosts.size();
    }

    /**
     * Records a heartbeat or boot message that has passed decoding and authentication.
     *
     * @param authenticated whether it was signed with the host's configured key; only then are sequence numbers
     *        checked for replays
     */
    public Outcome heartbeat(Heartbeat hb, InetSocketAddress from, boolean authenticated) {
        while (true) {
            HostState h = stateFor(hb.host());
            if (h == null) {
                return Outcome.HOST_LIMIT;
            }
            long nowMillis = ticker.wallMillis();
            long nowNanos = ticker.nanos();
            boolean schedule;
            List<Command> commands;
            synchronized (h) {
                if (h.forgotten) {
                    continue; // dropped by the timer meanwhile: start over with a new entry
                }
                if (authenticated && !h.acceptSeq(hb.seq(), hb.timeMillis())) {
                    if (h.address != null && !h.address.equals(from)) {
                        conflictEvidence(h, from, nowMillis);
                    }
                    return Outcome.REPLAYED;
                }
                long previousSeen = h.lastSeenMillis;
                boolean first = h.heartbeats == 0;
                record(h, hb, from, authenticated, nowMillis, nowNanos);
                announce(h, hb, first, previousSeen, nowMillis);
                h.status = HostStatus.UP;
                h.overdueSinceMillis = 0;
                h.deadlineNanos = nowNanos + millisToNanos(h.intervalMillis + h.graceMillis);
                schedule = scheduleEarlier(h);
                commands = h.pendingCommands(hb.commandsDone());
            }
            if (schedule) {
                timer.schedule(h, h.scheduledNanos);
            }
            return commands.isEmpty() ? Outcome.NOTHING_QUEUED : new Outcome(Verdict.ACCEPTED, commands);
        }
    }

    /** Takes in what a heartbeat says: its sender, sequence number, time, interval and RTT. */
    private void record(HostState h, Heartbeat hb, InetSocketAddress from, boolean authenticated, long nowMillis,
            long nowNanos) {
        if (h.heartbeats != 0 && !authenticated && h.address != null && !h.address.equals(from)
                && Long.compareUnsigned(hb.seq(), h.lastSeq) < 0) {
            conflictEvidence(h, from, nowMillis);
        }
        h.lastSeq = hb.seq();
        h.address = from;
        h.lastSeenMillis = nowMillis;
        h.lastSeenNanos = nowNanos;
        h.clientTimeMillis = hb.timeMillis();
        h.heartbeats++;
        h.authenticated = authenticated;
        h.announcedIntervalMillis = hb.intervalMillis();
        if (hb.hasRtt()) {
            h.addRtt(hb.rttMicros());
        }
        applyTimes(h);
    }

    /** Posts what a heartbeat means: a new host, a boot, a recovery. */
    private void announce(HostState h, Heartbeat hb, boolean first, long previousSeen, long nowMillis) {
        if (first && h.firstSeenMillis == 0) {
            h.firstSeenMillis = nowMillis;
            post(h, event(HostEvent.Type.NEW, h, nowMillis).statusAfter(HostStatus.UP).address(h.address)
                    .message("new host " + h.name + " from " + Addresses.text(h.address) + " (interval "
                            + Durations.human(h.intervalMillis) + ")"));
        }
        if (hb.boot()) {
            h.bootTimeMillis = hb.bootTimeMillis();
            h.lastBootMillis = nowMillis;
            post(h, event(HostEvent.Type.BOOT, h, nowMillis).statusBefore(first ? null : h.status)
                    .statusAfter(HostStatus.UP).address(h.address).bootTime(instant(hb.bootTimeMillis()))
                    .lastSeen(instant(previousSeen))
                    .message(h.name + " booted" + (hb.bootTimeMillis() > 0
                            ? " at " + Instant.ofEpochMilli(hb.bootTimeMillis()) : "")));
        }
        if (h.status == HostStatus.OVERDUE) {
            post(h, event(HostEvent.Type.RECOVERED, h, nowMillis).statusBefore(HostStatus.OVERDUE)
                    .statusAfter(HostStatus.UP).address(h.address).lastSeen(instant(previousSeen))
                    .overdueSince(instant(h.overdueSinceMillis))
                    .message(h.name + " is back after " + Durations.human(nowMillis - h.overdueSinceMillis)
                            + " overdue"));
        }
    }

    /** Queues the host's deadline if it now comes before the one already queued. */
    private static boolean scheduleEarlier(HostState h) {
        if (h.scheduledNanos == HostState.NOT_SCHEDULED || h.deadlineNanos - h.scheduledNanos < 0) {
            h.scheduledNanos = h.deadlineNanos;
            return true;
        }
        return false;
    }

    /**
     * Checks a plugin datagram against its host: only tracked hosts report plugin values, so datagrams naming
     * made-up hosts cost no memory; a signed one must not be a replay. Plugin datagrams never create a host and
     * never count as heartbeats.
     */
    public PluginVerdict acceptPluginMessage(ClientMessage message, boolean authenticated) {
        HostState h = hosts.get(message.host());
        if (h == null) {
            return PluginVerdict.UNKNOWN_HOST;
        }
        if (!authenticated) {
            return PluginVerdict.ACCEPTED;
        }
        synchronized (h) {
            return h.acceptSeq(message.seq(), message.timeMillis()) ? PluginVerdict.ACCEPTED : PluginVerdict.REPLAYED;
        }
    }

    /** Queues a command for a host; empty when the host is not tracked. */
    public Optional<Command> queueCommand(String host, String name, String argument) {
        HostState h = hosts.get(host);
        if (h == null) {
            return Optional.empty();
        }
        synchronized (h) {
            return Optional.of(h.queueCommand(name, argument));
        }
    }

    /** The commands waiting for a host, oldest first. */
    public List<Command> pendingCommands(String host) {
        HostState h = hosts.get(host);
        if (h == null) {
            return List.of();
        }
        synchronized (h) {
            return h.commands == null ? List.of() : List.copyOf(h.commands);
        }
    }

    private HostState stateFor(String name) {
        HostState h = hosts.get(name);
        if (h != null) {
            return h;
        }
        if (hosts.size() >= settings.maxHosts() && !configured.containsKey(name)) {
            return null;
        }
        return hosts.computeIfAbsent(name, this::newHost);
    }

    private void applyTimes(HostState h) {
        Settings s = settings;
        Configured c = configured.get(h.name);
        if (c != null && c.intervalMillis() > 0) {
            h.intervalMillis = c.intervalMillis();
        } else if (h.announcedIntervalMillis > 0) {
            h.intervalMillis = Math.min(h.announcedIntervalMillis, s.maxIntervalMillis());
        } else {
            h.intervalMillis = s.intervalMillis();
        }
        h.graceMillis = c != null && c.graceMillis() >= 0 ? c.graceMillis() : s.graceMillis();
    }

    private long expire(HostState h, long at, long now) {
        synchronized (h) {
            if (h.forgotten || at != h.scheduledNanos) {
                return HostState.NOT_SCHEDULED;
            }
            if (now - h.deadlineNanos < 0) {
                h.scheduledNanos = h.deadlineNanos;
                return h.scheduledNanos;
            }
            long nowMillis = ticker.wallMillis();
            if (h.status != HostStatus.OVERDUE) {
                goOverdue(h, nowMillis - TimeUnit.NANOSECONDS.toMillis(now - h.deadlineNanos), nowMillis);
            }
            long forgetAfter = settings.forgetAfterMillis();
            if (forgetAfter > 0 && !configured.containsKey(h.name) && !expected.contains(h.name)) {
                long forgetAt = h.lastSeenNanos + millisToNanos(forgetAfter);
                if (now - forgetAt >= 0) {
                    forget(h, nowMillis);
                    return HostState.NOT_SCHEDULED;
                }
                h.scheduledNanos = forgetAt;
                return forgetAt;
            }
            h.scheduledNanos = HostState.NOT_SCHEDULED;
            return HostState.NOT_SCHEDULED;
        }
    }

    private void goOverdue(HostState h, long deadlineMillis, long nowMillis) {
        HostStatus before = h.status;
        h.status = HostStatus.OVERDUE;
        h.overdueSinceMillis = deadlineMillis;
        String since = h.lastSeenMillis == 0
                ? "has not reported since the server started"
                : "no heartbeat since " + Instant.ofEpochMilli(h.lastSeenMillis) + " ("
                        + Durations.human(h.overdueSinceMillis - h.lastSeenMillis) + " ago)";
        post(h, event(HostEvent.Type.OVERDUE, h, nowMillis).statusBefore(before).statusAfter(HostStatus.OVERDUE)
                .lastSeen(instant(h.lastSeenMillis)).deadline(instant(deadlineMillis))
                .overdueSince(instant(deadlineMillis))
                .message(h.name + " is overdue: " + since + "; interval " + Durations.human(h.intervalMillis)
                        + " + grace " + Durations.human(h.graceMillis)));
    }

    private void forget(HostState h, long nowMillis) {
        h.forgotten = true;
        hosts.remove(h.name, h);
        post(h, event(HostEvent.Type.FORGOTTEN, h, nowMillis).statusBefore(h.status)
                .lastSeen(instant(h.lastSeenMillis))
                .message(h.name + " forgotten after " + Durations.human(nowMillis - h.lastSeenMillis)
                        + " of silence"));
    }

    /**
     * Forgets a host on request, whatever its status: it is dropped with its pending commands and a
     * {@code FORGOTTEN} event says why. The caller decides whether a configured host may be forgotten.
     *
     * @param why the end of the event's message, such as "by alice"
     * @return whether the host was tracked
     */
    public boolean forget(String name, String why) {
        HostState h = hosts.get(name);
        if (h == null) {
            return false;
        }
        synchronized (h) {
            if (h.forgotten) {
                return false;
            }
            long nowMillis = ticker.wallMillis();
            h.forgotten = true;
            hosts.remove(h.name, h);
            post(h, event(HostEvent.Type.FORGOTTEN, h, nowMillis).statusBefore(h.status)
                    .lastSeen(instant(h.lastSeenMillis)).message(h.name + " forgotten " + why));
            return true;
        }
    }

    private void conflictEvidence(HostState h, InetSocketAddress other, long nowMillis) {
        if (nowMillis - h.conflictWindowStartMillis > CONFLICT_WINDOW) {
            h.conflictWindowStartMillis = nowMillis;
            h.conflictEvidence = 0;
        }
        h.conflictEvidence++;
        if (h.conflictEvidence >= 2) {
            h.conflict = "datagrams from " + Addresses.text(h.address) + " and " + Addresses.text(other)
                    + " with sequence numbers going backwards";
            if (nowMillis - h.conflictReportedMillis > CONFLICT_REPEAT || h.conflictReportedMillis == 0) {
                h.conflictReportedMillis = nowMillis;
                post(h, event(HostEvent.Type.NAME_CONFLICT, h, nowMillis).statusBefore(h.status)
                        .statusAfter(h.status).address(other).message(h.name + ": " + h.conflict
                                + "; two machines seem to use this name (give one another name with hbc -n)"));
            }
        }
    }

    /** An event about {@code h} with the times in force filled in. */
    private static HostEvent.Builder event(HostEvent.Type type, HostState h, long nowMillis) {
        return HostEvent.builder(type, h.name).time(Instant.ofEpochMilli(nowMillis))
                .interval(Duration.ofMillis(h.intervalMillis)).grace(Duration.ofMillis(h.graceMillis));
    }

    private void post(HostState h, HostEvent.Builder event) {
        try {
            events.append(event);
        } catch (RuntimeException e) {
            errors.accept(e);
        }
    }

    /** Every host as the API shows it, sorted by name in code point order. */
    public List<HostView> views() {
        List<HostView> out = new ArrayList<>(hosts.size());
        for (HostState h : hosts.values()) {
            out.add(view(h));
        }
        out.sort(Comparator.comparing(HostView::name));
        return out;
    }

    public Optional<HostView> view(String name) {
        HostState h = hosts.get(name);
        return h == null ? Optional.empty() : Optional.of(view(h));
    }

    /** How many hosts are in each status. */
    public Map<HostStatus, Integer> counts() {
        Map<HostStatus, Integer> counts = new EnumMap<>(HostStatus.class);
        for (HostStatus s : HostStatus.values()) {
            counts.put(s, 0);
        }
        for (HostState h : hosts.values()) {
            HostStatus s;
            synchronized (h) {
                s = h.status;
            }
            counts.merge(s, 1, Integer::sum);
        }
        return counts;
    }

    private HostView view(HostState h) {
        Configured c = configured.get(h.name);
        synchronized (h) {
            long nowMillis = ticker.wallMillis();
            String conflict = h.conflict != null && nowMillis - h.conflictReportedMillis < CONFLICT_REPEAT
                    ? h.conflict : null;
            List<Duration> rtts = new ArrayList<>();
            for (int micros : h.rttHistory()) {
                rtts.add(Duration.ofNanos(micros * 1000L));
            }
            return HostView.builder(h.name).status(h.status).configured(c != null).firstSeen(instant(h.firstSeenMillis))
                    .lastSeen(instant(h.lastSeenMillis)).interval(Duration.ofMillis(h.intervalMillis))
                    .grace(Duration.ofMillis(h.graceMillis))
                    .announcedInterval(h.announcedIntervalMillis > 0 ? Duration.ofMillis(h.announcedIntervalMillis)
                            : null)
                    .overdueSince(instant(h.overdueSinceMillis)).rttHistory(rtts).address(h.address)
                    .bootTime(instant(h.bootTimeMillis)).lastBoot(instant(h.lastBootMillis)).heartbeats(h.heartbeats)
                    .authenticated(h.authenticated).conflict(conflict)
                    .owner(c == null ? null : c.owner()).tags(c == null ? List.of() : c.tags())
                    .dependsOn(c == null ? List.of() : c.dependsOn())
                    .pendingCommands(h.commands == null ? List.of() : h.commands.stream()
                            .map(cmd -> new PendingCommand(cmd.id(), cmd.name(), cmd.argument())).toList())
                    .build();
        }
    }

    /** Every host as the state file keeps it, sorted by name. */
    public List<SavedHost> saved() {
        List<SavedHost> out = new ArrayList<>(hosts.size());
        for (HostState h : hosts.values()) {
            HostView v = view(h);
            synchronized (h) {
                out.add(new SavedHost(v, h.lastSeq, h.anySeq ? h.maxSeq : 0, h.nextCommandId, h.commandsDone));
            }
        }
        out.sort(Comparator.comparing(SavedHost::name));
        return out;
    }

    /**
     * Restores hosts saved before a restart. A host that was up is {@code unknown} until it has had a full interval
     * plus grace from now to report; one already overdue stays overdue and is not reported again.
     *
     * @param unclean whether the server stopped without saving its state (killed, crashed): then the highest
     *        sequence numbers saved may be behind, so a signed datagram is accepted from a host only if it was sent
     *        after now, until its first datagram after the restart (docs/PROTOCOL.md, section 8.3)
     */
    public void restore(List<SavedHost> saved, boolean unclean) {
        long nowMillis = ticker.wallMillis();
        long nowNanos = ticker.nanos();
        if (unclean) {
            sentNotBeforeMillis = nowMillis;
        }
        for (SavedHost s : saved) {
            HostState h = newHost(s.name());
            synchronized (h) {
                restore(h, s, nowMillis, nowNanos);
            }
            hosts.put(h.name, h);
            timer.schedule(h, h.scheduledNanos);
        }
    }

    private void restore(HostState h, SavedHost s, long nowMillis, long nowNanos) {
        HostView v = s.view();
        h.firstSeenMillis = millis(v.firstSeen());
        h.lastSeenMillis = millis(v.lastSeen());
        h.lastSeenNanos = nowNanos - millisToNanos(Math.max(0, nowMillis - h.lastSeenMillis));
        h.heartbeats = v.heartbeats();
        h.lastSeq = s.lastSeq();
        if (s.maxSeq() != 0) {
            h.restoreSeq(s.maxSeq());
        }
        h.announcedIntervalMillis = v.announcedInterval().map(Duration::toMillis).orElse(0L);
        for (Duration rtt : v.rttHistory()) {
            h.addRtt(rtt.toNanos() / 1000);
        }
        h.bootTimeMillis = millis(v.bootTime());
        h.lastBootMillis = millis(v.lastBoot());
        h.authenticated = v.authenticated();
        h.address = v.address().orElse(null);
        h.restoreCommands(v.pendingCommands().stream().map(c -> new Command(c.id(), c.name(), c.argument())).toList(),
                s.nextCommandId());
        h.commandsDone = s.commandsDone();
        applyTimes(h);
        if (v.status() == HostStatus.OVERDUE) {
            h.status = HostStatus.OVERDUE;
            h.overdueSinceMillis = millis(v.overdueSince());
            h.deadlineNanos = nowNanos;
        } else {
            h.status = HostStatus.UNKNOWN;
            h.deadlineNanos = nowNanos + millisToNanos(h.intervalMillis + h.graceMillis);
        }
        h.scheduledNanos = h.deadlineNanos;
    }

    /** Wakes the deadline timer; for tests whose clock jumps. */
    void poke() {
        timer.poke();
    }

    private static long millisToNanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static Instant instant(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }

    private static long millis(Optional<Instant> t) {
        return t.map(Instant::toEpochMilli).orElse(0L);
    }

    @Override
    public void close() {
        timer.close();
    }
}
