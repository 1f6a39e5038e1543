package org.heartbeat.server.api;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One host as the server sees it at one moment: an immutable copy, safe to keep and to pass between threads.
 * {@link HostDirectory} hands them out; tests of a bundle built on this API make their own with {@link #builder}.
 *
 * <pre>{@code
 * HostView web1 = HostView.builder("web1")
 *         .status(HostStatus.UP)
 *         .lastSeen(Instant.parse("2026-11-26T08:00:12Z"))
 *         .interval(Duration.ofSeconds(10))
 *         .grace(Duration.ofSeconds(2))
 *         .owner("alice")
 *         .build();
 * web1.deadline()   // Optional[2026-11-26T08:00:24Z]
 * }</pre>
 */
public final class HostView {
    private final String name;
    private final HostStatus status;
    private final boolean configured;
    private final Instant firstSeen;
    private final Instant lastSeen;
    private final Duration interval;
    private final Duration grace;
    private final Duration announcedInterval;
    private final Instant overdueSince;
    private final List<Duration> rttHistory;
    private final InetSocketAddress address;
    private final Instant bootTime;
    private final Instant lastBoot;
    private final long heartbeats;
    private final boolean authenticated;
    private final String conflict;
    private final String owner;
    private final List<String> tags;
    private final List<String> dependsOn;
    private final List<PendingCommand> pendingCommands;

    private HostView(Builder b) {
        this.name = b.name;
        this.status = Objects.requireNonNull(b.status, "status");
        this.configured = b.configured;
        this.firstSeen = b.firstSeen;
        this.lastSeen = b.lastSeen;
        this.interval = Objects.requireNonNull(b.interval, "interval");
        this.grace = Objects.requireNonNull(b.grace, "grace");
        this.announcedInterval = b.announcedInterval;
        this.overdueSince = b.overdueSince;
        this.rttHistory = List.copyOf(b.rttHistory);
        this.address = b.address;
        this.bootTime = b.bootTime;
        this.lastBoot = b.lastBoot;
        this.heartbeats = b.heartbeats;
        this.authenticated = b.authenticated;
        this.conflict = b.conflict;
        this.owner = b.owner;
        this.tags = List.copyOf(b.tags);
        this.dependsOn = List.copyOf(b.dependsOn);
        this.pendingCommands = List.copyOf(b.pendingCommands);
    }

    /**
     * A builder for a host of this name: status {@link HostStatus#UNKNOWN}, interval 20 s and grace 2 s (the
     * server's defaults) until set.
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this view's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The host's name, as it reports it. */
    public String name() {
        return name;
    }

    public HostStatus status() {
        return status;
    }

    /** Whether the host is in the configuration's {@code hosts:} section. */
    public boolean configured() {
        return configured;
    }

    /** Its first heartbeat ever, server clock; empty for a configured host that never reported. */
    public Optional<Instant> firstSeen() {
        return Optional.ofNullable(firstSeen);
    }

    /** Its last heartbeat, server clock; empty for a configured host that never reported. */
    public Optional<Instant> lastSeen() {
        return Optional.ofNullable(lastSeen);
    }

    /** The interval in force: the configured one, else the one the client announces, else the server's. */
    public Duration interval() {
        return interval;
    }

    /** The grace in force: the host's configured one, else the server's. */
    public Duration grace() {
        return grace;
    }

    /** The interval the client announces in its heartbeats; empty when it announces none. */
    public Optional<Duration> announcedInterval() {
        return Optional.ofNullable(announcedInterval);
    }

    /**
     * When the host goes (or went) overdue if no heartbeat comes: last heartbeat plus interval plus grace; empty for
     * a host that never reported.
     */
    public Optional<Instant> deadline() {
        return lastSeen().map(t -> t.plus(interval).plus(grace));
    }

    /** When it became overdue: its deadline; empty unless {@link HostStatus#OVERDUE}. */
    public Optional<Instant> overdueSince() {
        return Optional.ofNullable(overdueSince);
    }

    /** The round-trip times the client measured to this server, oldest first, at most the last 32. */
    public List<Duration> rttHistory() {
        return rttHistory;
    }

    /** The last round-trip time; empty before the client reported one. */
    public Optional<Duration> rtt() {
        return rttHistory.isEmpty() ? Optional.empty() : Optional.of(rttHistory.get(rttHistory.size() - 1));
    }

    /** Where its last heartbeat came from; empty for a host that never reported. */
    public Optional<InetSocketAddress> address() {
        return Optional.ofNullable(address);
    }

    /** When the host booted, by its own clock, from its last boot message ({@code hbc -b}). */
    public Optional<Instant> bootTime() {
        return Optional.ofNullable(bootTime);
    }

    /** When the server received the host's last boot message. */
    public Optional<Instant> lastBoot() {
        return Optional.ofNullable(lastBoot);
    }

    /** Heartbeats received from it, across server restarts. */
    public long heartbeats() {
        return heartbeats;
    }

    /** Whether its last heartbeat was signed with its configured key. */
    public boolean authenticated() {
        return authenticated;
    }

    /** Why two machines seem to report under this name, when they have within the last hour. */
    public Optional<String> conflict() {
        return Optional.ofNullable(conflict);
    }

    /** The user who owns the host ({@code owner} in {@code hosts:}); empty when not configured. */
    public Optional<String> owner() {
        return Optional.ofNullable(owner);
    }

    /** Its {@code tags} from {@code hosts:}. */
    public List<String> tags() {
        return tags;
    }

    /** The hosts it depends on ({@code depends_on} in {@code hosts:}). */
    public List<String> dependsOn() {
        return dependsOn;
    }

    /** Commands waiting for it, oldest first. */
    public List<PendingCommand> pendingCommands() {
        return pendingCommands;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostView h && h.name.equals(name) && h.status == status && h.configured == configured
                && Objects.equals(h.firstSeen, firstSeen) && Objects.equals(h.lastSeen, lastSeen)
                && h.interval.equals(interval) && h.grace.equals(grace)
                && Objects.equals(h.announcedInterval, announcedInterval)
                && Objects.equals(h.overdueSince, overdueSince) && h.rttHistory.equals(rttHistory)
                && Objects.equals(h.address, address) && Objects.equals(h.bootTime, bootTime)
                && Objects.equals(h.lastBoot, lastBoot) && h.heartbeats == heartbeats
                && h.authenticated == authenticated && Objects.equals(h.conflict, conflict)
                && Objects.equals(h.owner, owner) && h.tags.equals(tags) && h.dependsOn.equals(dependsOn)
                && h.pendingCommands.equals(pendingCommands);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, status, lastSeen, heartbeats);
    }

    @Override
    public String toString() {
        return "HostView[" + name + ", " + status.word() + ", last seen " + (lastSeen == null ? "never" : lastSeen)
                + "]";
    }

    /** Builds a {@link HostView}. Optional values may be set to null for "none". */
    public static final class Builder {
        private final String name;
        private HostStatus status = HostStatus.UNKNOWN;
        private boolean configured;
        private Instant firstSeen;
        private Instant lastSeen;
        private Duration interval = Duration.ofSeconds(20);
        private Duration grace = Duration.ofSeconds(2);
        private Duration announcedInterval;
        private Instant overdueSince;
        private List<Duration> rttHistory = List.of();
        private InetSocketAddress address;
        private Instant bootTime;
        private Instant lastBoot;
        private long heartbeats;
        private boolean authenticated;
        private String conflict;
        private String owner;
        private List<String> tags = List.of();
        private List<String> dependsOn = List.of();
        private List<PendingCommand> pendingCommands = List.of();

        private Builder(String name) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a host needs a name");
            }
            this.name = name;
        }

        private Builder(HostView v) {
            this.name = v.name;
            this.status = v.status;
            this.configured = v.configured;
            this.firstSeen = v.firstSeen;
            this.lastSeen = v.lastSeen;
            this.interval = v.interval;
            this.grace = v.grace;
            this.announcedInterval = v.announcedInterval;
            this.overdueSince = v.overdueSince;
            this.rttHistory = v.rttHistory;
            this.address = v.address;
            this.bootTime = v.bootTime;
            this.lastBoot = v.lastBoot;
            this.heartbeats = v.heartbeats;
            this.authenticated = v.authenticated;
            this.conflict = v.conflict;
            this.owner = v.owner;
            this.tags = v.tags;
            this.dependsOn = v.dependsOn;
            this.pendingCommands = v.pendingCommands;
        }

        public Builder status(HostStatus status) {
            this.status = status;
            return this;
        }

        public Builder configured(boolean configured) {
            this.configured = configured;
            return this;
        }

        public Builder firstSeen(Instant firstSeen) {
            this.firstSeen = firstSeen;
            return this;
        }

        public Builder lastSeen(Instant lastSeen) {
            this.lastSeen = lastSeen;
            return this;
        }

        public Builder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        public Builder grace(Duration grace) {
            this.grace = grace;
            return this;
        }

        public Builder announcedInterval(Duration announcedInterval) {
            this.announcedInterval = announcedInterval;
            return this;
        }

        public Builder overdueSince(Instant overdueSince) {
            this.overdueSince = overdueSince;
            return this;
        }

        /** Round-trip times, oldest first. */
        public Builder rttHistory(List<Duration> rttHistory) {
            this.rttHistory = Objects.requireNonNull(rttHistory, "rttHistory");
            return this;
        }

        public Builder address(InetSocketAddress address) {
            this.address = address;
            return this;
        }

        public Builder bootTime(Instant bootTime) {
            this.bootTime = bootTime;
            return this;
        }

        public Builder lastBoot(Instant lastBoot) {
            this.lastBoot = lastBoot;
            return this;
        }

        public Builder heartbeats(long heartbeats) {
            this.heartbeats = heartbeats;
            return this;
        }

        public Builder authenticated(boolean authenticated) {
            this.authenticated = authenticated;
            return this;
        }

        public Builder conflict(String conflict) {
            this.conflict = conflict;
            return this;
        }

        public Builder owner(String owner) {
            this.owner = owner;
            return this;
        }

        public Builder tags(List<String> tags) {
            this.tags = Objects.requireNonNull(tags, "tags");
            return this;
        }

        public Builder dependsOn(List<String> dependsOn) {
            this.dependsOn = Objects.requireNonNull(dependsOn, "dependsOn");
            return this;
        }

        public Builder pendingCommands(List<PendingCommand> pendingCommands) {
            this.pendingCommands = Objects.requireNonNull(pendingCommands, "pendingCommands");
            return this;
        }

        /** @throws NullPointerException when status, interval or grace was set to null */
        public HostView build() {
            return new HostView(this);
        }
    }
}
