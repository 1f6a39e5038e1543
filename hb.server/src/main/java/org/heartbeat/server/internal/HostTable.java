package org.heartbeat.server.internal;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.heartbeat.protocol.ClientMessage;
import org.heartbeat.protocol.Command;
import org.heartbeat.protocol.Heartbeat;
import org.heartbeat.protocol.HostKey;

/**
 * The hosts the server tracks and the rules of their lives: when a host is up, overdue, back, forgotten;
 * which datagrams are replays; what commands wait for it. Thread-safe: the receiver, the deadline timer
 * and readers work on it at once, each host under its own lock.
 */
final class HostTable implements AutoCloseable {
    /** What became of a heartbeat. */
    enum Verdict {
        ACCEPTED,
        /** An authenticated datagram whose sequence number was seen before. */
        REPLAYED,
        /** A new host while {@code max_hosts} hosts are already tracked. */
        HOST_LIMIT
    }

    record Outcome(Verdict verdict, List<Command> commands) {
        static final Outcome REPLAYED = new Outcome(Verdict.REPLAYED, List.of());
        static final Outcome HOST_LIMIT = new Outcome(Verdict.HOST_LIMIT, List.of());
        static final Outcome NOTHING_QUEUED = new Outcome(Verdict.ACCEPTED, List.of());
    }

    /** The settings of the whole table; hosts may override interval and grace. */
    record Settings(long intervalMillis, long graceMillis, int maxHosts, long forgetAfterMillis) {
    }

    /** A host from the configuration's {@code hosts:} section; interval 0 and grace -1 mean not set. */
    record Configured(String name, long intervalMillis, long graceMillis, HostKey key, String owner,
            List<String> dependsOn, List<String> tags) {
    }

    private static final long CONFLICT_WINDOW = TimeUnit.MINUTES.toMillis(10);
    private static final long CONFLICT_REPEAT = TimeUnit.HOURS.toMillis(1);

    private final ConcurrentHashMap<String, HostState> hosts = new ConcurrentHashMap<>();
    private final Ticker ticker;
    private final Consumer<HostEvent> events;
    private final Consumer<RuntimeException> errors;
    private final DeadlineTimer timer;
    private volatile Settings settings;
    private volatile Map<String, Configured> configured = Map.of();
    private volatile java.util.Set<String> expected = java.util.Set.of();

    HostTable(Settings settings, Ticker ticker, Consumer<HostEvent> events, Consumer<RuntimeException> errors) {
        this.settings = settings;
        this.ticker = ticker;
        this.events = events;
        this.errors = errors;
        this.timer = new DeadlineTimer(ticker, this::expire, errors, "hbd-deadlines");
    }

    void settings(Settings newSettings) {
        this.settings = newSettings;
    }

    Settings settings() {
        return settings;
    }

    /**
     * Replaces the configured hosts. A configured host that has never reported is tracked from now on: it
     * is {@code unknown} until its interval plus grace have passed, then overdue.
     */
    void configure(Map<String, Configured> newConfigured) {
        this.configured = Map.copyOf(newConfigured);
        long now = ticker.nanos();
        for (Configured c : newConfigured.values()) {
            HostState h = hosts.computeIfAbsent(c.name(), name -> {
                HostState fresh = new HostState(name);
                fresh.status = HostStatus.UNKNOWN;
                return fresh;
            });
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
                    if (h.scheduledNanos == HostState.NOT_SCHEDULED || h.deadlineNanos - h.scheduledNanos < 0) {
                        h.scheduledNanos = h.deadlineNanos;
                        schedule = true;
                    }
                }
            }
            if (schedule) {
                timer.schedule(h, h.deadlineNanos);
            }
        }
    }

    /**
     * Names the hosts the configuration lists, before their own settings arrive: they are never
     * forgotten, even while their settings are still on the way (at start, or during a reload).
     */
    void expect(java.util.Set<String> names) {
        this.expected = java.util.Set.copyOf(names);
    }

    /** The key a host must sign with, or null when it need not. */
    HostKey keyOf(String host) {
        Configured c = configured.get(host);
        return c == null ? null : c.key();
    }

    boolean isConfigured(String host) {
        return configured.containsKey(host);
    }

    Configured configured(String host) {
        return configured.get(host);
    }

    int size() {
        return hosts.size();
    }

    /**
     * Records a heartbeat or boot message that has passed decoding and authentication.
     *
     * @param authenticated whether it was signed with the host's configured key; only then are sequence
     *        numbers checked for replays
     */
    Outcome heartbeat(Heartbeat hb, InetSocketAddress from, boolean authenticated) {
        HostState h = stateFor(hb.host());
        if (h == null) {
            return Outcome.HOST_LIMIT;
        }
        long nowMillis = ticker.wallMillis();
        long nowNanos = ticker.nanos();
        boolean schedule = false;
        List<Command> commands;
        synchronized (h) {
            if (h.forgotten) {
                return heartbeat(hb, from, authenticated);
            }
            if (authenticated && !h.acceptSeq(hb.seq())) {
                if (h.address != null && !h.address.equals(from)) {
                    conflictEvidence(h, from, nowMillis);
                }
                return Outcome.REPLAYED;
            }
            boolean first = h.heartbeats == 0;
            if (!first && !authenticated && h.address != null && !h.address.equals(from)
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
            if (first && h.firstSeenMillis == 0) {
                h.firstSeenMillis = nowMillis;
                post(h, HostEvent.Type.NEW, nowMillis, "new host " + h.name + " from " + addressText(from)
                        + " (interval " + Durations.human(h.intervalMillis) + ")");
            }
            if (hb.boot()) {
                h.bootTimeMillis = hb.bootTimeMillis();
                h.lastBootMillis = nowMillis;
                post(h, HostEvent.Type.BOOT, nowMillis, h.name + " booted"
                        + (hb.bootTimeMillis() > 0 ? " at " + Instant.ofEpochMilli(hb.bootTimeMillis()) : ""));
            }
            if (h.status == HostStatus.OVERDUE) {
                post(h, HostEvent.Type.RECOVERED, nowMillis, h.name + " is back after "
                        + Durations.human(nowMillis - h.overdueSinceMillis) + " overdue");
            }
            h.status = HostStatus.UP;
            h.overdueSinceMillis = 0;
            h.deadlineNanos = nowNanos + millisToNanos(h.intervalMillis + h.graceMillis);
            if (h.scheduledNanos == HostState.NOT_SCHEDULED || h.deadlineNanos - h.scheduledNanos < 0) {
                h.scheduledNanos = h.deadlineNanos;
                schedule = true;
            }
            commands = h.pendingCommands(hb.commandsDone());
        }
        if (schedule) {
            timer.schedule(h, h.deadlineNanos);
        }
        return commands.isEmpty() ? Outcome.NOTHING_QUEUED : new Outcome(Verdict.ACCEPTED, commands);
    }

    /**
     * Checks a plugin datagram of an authenticated host against replays; unauthenticated ones always pass.
     * Plugin datagrams never create a host and never count as heartbeats.
     */
    /** What becomes of a plugin datagram. */
    enum PluginVerdict {
        ACCEPTED,
        /** Signed with a sequence number seen before. */
        REPLAYED,
        /** From a host that is not tracked: it never sent a heartbeat, or was forgotten. */
        UNKNOWN_HOST
    }

    /**
     * Checks a plugin datagram against its host: only tracked hosts report plugin values, so datagrams naming
     * made-up hosts cost no memory; a signed one must not be a replay.
     */
    PluginVerdict acceptPluginMessage(ClientMessage message, boolean authenticated) {
        HostState h = hosts.get(message.host());
        if (h == null) {
            return PluginVerdict.UNKNOWN_HOST;
        }
        if (!authenticated) {
            return PluginVerdict.ACCEPTED;
        }
        synchronized (h) {
            return h.acceptSeq(message.seq()) ? PluginVerdict.ACCEPTED : PluginVerdict.REPLAYED;
        }
    }

    /** Queues a command for a host; returns its id, or -1 when the host is not tracked. */
    long queueCommand(String host, String name, String argument) {
        HostState h = hosts.get(host);
        if (h == null) {
            return -1;
        }
        synchronized (h) {
            return h.queueCommand(name, argument);
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
        return hosts.computeIfAbsent(name, HostState::new);
    }

    private void applyTimes(HostState h) {
        Settings s = settings;
        Configured c = configured.get(h.name);
        if (c != null && c.intervalMillis() > 0) {
            h.intervalMillis = c.intervalMillis();
        } else if (h.announcedIntervalMillis > 0) {
            h.intervalMillis = h.announcedIntervalMillis;
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
                h.status = HostStatus.OVERDUE;
                h.overdueSinceMillis = nowMillis - TimeUnit.NANOSECONDS.toMillis(now - h.deadlineNanos);
                String since = h.lastSeenMillis == 0
                        ? "has not reported since the server started"
                        : "no heartbeat since " + Instant.ofEpochMilli(h.lastSeenMillis) + " ("
                                + Durations.human(h.overdueSinceMillis - h.lastSeenMillis) + " ago)";
                post(h, HostEvent.Type.OVERDUE, nowMillis, h.name + " is overdue: " + since + "; interval "
                        + Durations.human(h.intervalMillis) + " + grace " + Durations.human(h.graceMillis));
            }
            long forgetAfter = settings.forgetAfterMillis();
            if (forgetAfter > 0 && !configured.containsKey(h.name) && !expected.contains(h.name)) {
                long forgetAt = h.lastSeenNanos + millisToNanos(forgetAfter);
                if (now - forgetAt >= 0) {
                    h.forgotten = true;
                    hosts.remove(h.name, h);
                    post(h, HostEvent.Type.FORGOTTEN, nowMillis, h.name + " forgotten after "
                            + Durations.human(nowMillis - h.lastSeenMillis) + " of silence");
                    return HostState.NOT_SCHEDULED;
                }
                h.scheduledNanos = forgetAt;
                return forgetAt;
            }
            h.scheduledNanos = HostState.NOT_SCHEDULED;
            return HostState.NOT_SCHEDULED;
        }
    }

    private void conflictEvidence(HostState h, InetSocketAddress other, long nowMillis) {
        if (nowMillis - h.conflictWindowStartMillis > CONFLICT_WINDOW) {
            h.conflictWindowStartMillis = nowMillis;
            h.conflictEvidence = 0;
        }
        h.conflictEvidence++;
        if (h.conflictEvidence >= 2) {
            h.conflict = "datagrams from " + addressText(h.address) + " and " + addressText(other)
                    + " with sequence numbers going backwards";
            if (nowMillis - h.conflictReportedMillis > CONFLICT_REPEAT || h.conflictReportedMillis == 0) {
                h.conflictReportedMillis = nowMillis;
                post(h, HostEvent.Type.NAME_CONFLICT, nowMillis, h.name + ": " + h.conflict
                        + "; two machines seem to use this name (give one another name with hbc -n)");
            }
        }
    }

    private void post(HostState h, HostEvent.Type type, long millis, String message) {
        try {
            events.accept(new HostEvent(type, h.name, millis, message));
        } catch (RuntimeException e) {
            errors.accept(e);
        }
    }

    /** All hosts, sorted by name. */
    List<HostSnapshot> snapshot() {
        List<HostSnapshot> out = new ArrayList<>(hosts.size());
        for (HostState h : hosts.values()) {
            out.add(snapshot(h));
        }
        out.sort(Comparator.comparing(HostSnapshot::name));
        return out;
    }

    Optional<HostSnapshot> snapshot(String name) {
        HostState h = hosts.get(name);
        return h == null ? Optional.empty() : Optional.of(snapshot(h));
    }

    private HostSnapshot snapshot(HostState h) {
        synchronized (h) {
            long nowMillis = ticker.wallMillis();
            String conflict = h.conflict != null && nowMillis - h.conflictReportedMillis < CONFLICT_REPEAT
                    ? h.conflict : null;
            return new HostSnapshot(h.name, h.status, configured.containsKey(h.name), h.firstSeenMillis,
                    h.lastSeenMillis, h.intervalMillis, h.graceMillis, h.announcedIntervalMillis,
                    h.overdueSinceMillis, h.rttHistory(), h.address == null ? null : h.address.getAddress()
                            .getHostAddress(), h.address == null ? 0 : h.address.getPort(), h.bootTimeMillis,
                    h.lastBootMillis, h.lastSeq, h.anySeq ? h.maxSeq : 0, h.heartbeats, h.authenticated, conflict,
                    h.commands == null ? List.of() : List.copyOf(h.commands), h.nextCommandId, h.commandsDone);
        }
    }

    /**
     * Restores hosts saved before a restart. A host that was up is {@code unknown} until it has had a
     * full interval plus grace from now to report; one already overdue stays overdue and is not reported
     * again.
     */
    void restore(List<HostSnapshot> saved) {
        long nowMillis = ticker.wallMillis();
        long nowNanos = ticker.nanos();
        for (HostSnapshot s : saved) {
            HostState h = new HostState(s.name());
            boolean schedule;
            synchronized (h) {
                h.firstSeenMillis = s.firstSeenMillis();
                h.lastSeenMillis = s.lastSeenMillis();
                h.lastSeenNanos = nowNanos - millisToNanos(Math.max(0, nowMillis - s.lastSeenMillis()));
                h.heartbeats = s.heartbeats();
                h.lastSeq = s.lastSeq();
                if (s.maxSeq() != 0) {
                    h.restoreSeq(s.maxSeq());
                }
                h.announcedIntervalMillis = s.announcedIntervalMillis();
                h.restoreRtt(s.rttHistoryMicros());
                h.bootTimeMillis = s.bootTimeMillis();
                h.lastBootMillis = s.lastBootMillis();
                h.authenticated = s.authenticated();
                if (s.address() != null) {
                    try {
                        h.address = new InetSocketAddress(InetAddressParser.parse(s.address()), s.port());
                    } catch (IllegalArgumentException e) {
                        h.address = null;
                    }
                }
                h.restoreCommands(s.pendingCommands(), s.nextCommandId());
                h.commandsDone = s.commandsDone();
                applyTimes(h);
                if (s.status() == HostStatus.OVERDUE) {
                    h.status = HostStatus.OVERDUE;
                    h.overdueSinceMillis = s.overdueSinceMillis();
                    h.deadlineNanos = nowNanos;
                } else {
                    h.status = HostStatus.UNKNOWN;
                    h.deadlineNanos = nowNanos + millisToNanos(h.intervalMillis + h.graceMillis);
                }
                h.scheduledNanos = h.deadlineNanos;
                schedule = true;
            }
            hosts.put(h.name, h);
            if (schedule) {
                timer.schedule(h, h.scheduledNanos);
            }
        }
    }

    /** Wakes the deadline timer; for tests whose clock jumps. */
    void poke() {
        timer.poke();
    }

    private static long millisToNanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    static String addressText(InetSocketAddress a) {
        if (a == null) {
            return "?";
        }
        String ip = a.getAddress().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + a.getPort();
    }

    @Override
    public void close() {
        timer.close();
    }
}
