package org.heartbeat.server.api.event;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.heartbeat.server.api.HostStatus;

/**
 * A change in a host's life, with the facts behind it. Immutable.
 *
 * <p>{@link #id()} is unique and stable: it is given once, when the event is written to the journal, and an event
 * keeps it across restarts of {@code hbd}; later events have higher ids, also after the journal was deleted (a
 * new journal starts its ids at the current time in microseconds). So a consumer that records the id of the last
 * event it handled recognises, after a restart, the events it has already handled (see
 * {@link HostEventListener#resumeAfter()}).
 *
 * <p>What each type carries, besides id, type, host, time and message:
 * <table>
 * <caption>Facts by type</caption>
 * <tr><th>type</th><th>status before, after</th><th>facts</th></tr>
 * <tr><td>{@link Type#NEW}</td><td>none, {@code UP}</td><td>address, interval, grace</td></tr>
 * <tr><td>{@link Type#BOOT}</td><td>status, {@code UP}</td><td>boot time (the host's clock), address</td></tr>
 * <tr><td>{@link Type#OVERDUE}</td><td>{@code UP} or {@code UNKNOWN}, {@code OVERDUE}</td><td>last seen (empty if
 * never), deadline = overdue since, interval, grace</td></tr>
 * <tr><td>{@link Type#RECOVERED}</td><td>{@code OVERDUE}, {@code UP}</td><td>overdue since, address,
 * interval, grace</td></tr>
 * <tr><td>{@link Type#NAME_CONFLICT}</td><td>status, status</td><td>address (the other sender's)</td></tr>
 * <tr><td>{@link Type#FORGOTTEN}</td><td>{@code OVERDUE}, none</td><td>last seen</td></tr>
 * </table>
 *
 * <pre>{@code
 * HostEvent e = HostEvent.builder(HostEvent.Type.OVERDUE, "web1")
 *         .id(1764115224000001L)
 *         .time(Instant.parse("2026-11-26T08:00:24Z"))
 *         .statusBefore(HostStatus.UP).statusAfter(HostStatus.OVERDUE)
 *         .lastSeen(Instant.parse("2026-11-26T08:00:12Z"))
 *         .deadline(Instant.parse("2026-11-26T08:00:24Z"))
 *         .interval(Duration.ofSeconds(10)).grace(Duration.ofSeconds(2))
 *         .message("web1 is overdue: no heartbeat since 08:00:12 UTC; interval 10 s + grace 2 s")
 *         .build();
 * }</pre>
 */
public final class HostEvent {
    /**
     * What happened. Later minor versions may add types: a listener ignores the ones it does not know.
     */
    public enum Type {
        /** A host reported for the first time. */
        NEW,
        /** A host sent a boot message ({@code hbc -b}). */
        BOOT,
        /** Nothing arrived from a host within its interval plus grace. */
        OVERDUE,
        /** An overdue host reported again. */
        RECOVERED,
        /** Two machines seem to report under one name. */
        NAME_CONFLICT,
        /** A host silent for longer than {@code forget_after} was dropped, with its values and history. */
        FORGOTTEN
    }

    private final long id;
    private final Type type;
    private final String host;
    private final Instant time;
    private final HostStatus statusBefore;
    private final HostStatus statusAfter;
    private final Instant lastSeen;
    private final Instant overdueSince;
    private final Instant deadline;
    private final Duration interval;
    private final Duration grace;
    private final InetSocketAddress address;
    private final Instant bootTime;
    private final String message;

    private HostEvent(Builder b) {
        if (b.id < 1) {
            throw new IllegalArgumentException("an event needs an id of at least 1, got " + b.id);
        }
        this.id = b.id;
        this.type = b.type;
        this.host = b.host;
        this.time = Objects.requireNonNull(b.time, "time");
        this.statusBefore = b.statusBefore;
        this.statusAfter = b.statusAfter;
        this.lastSeen = b.lastSeen;
        this.overdueSince = b.overdueSince;
        this.deadline = b.deadline;
        this.interval = b.interval;
        this.grace = b.grace;
        this.address = b.address;
        this.bootTime = b.bootTime;
        this.message = b.message == null ? "" : b.message;
    }

    /** A builder of an event of this type about this host; id and time are required. */
    public static Builder builder(Type type, String host) {
        return new Builder(type, host);
    }

    /** A builder holding this event's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Unique, stable, and increasing in the order events happened. */
    public long id() {
        return id;
    }

    public Type type() {
        return type;
    }

    /** The host's name. */
    public String host() {
        return host;
    }

    /** When it happened, server clock. */
    public Instant time() {
        return time;
    }

    /** The host's status before; empty for a new host. */
    public Optional<HostStatus> statusBefore() {
        return Optional.ofNullable(statusBefore);
    }

    /** The host's status after; empty for a forgotten host. */
    public Optional<HostStatus> statusAfter() {
        return Optional.ofNullable(statusAfter);
    }

    /** The host's last heartbeat before the event; empty when it never reported. */
    public Optional<Instant> lastSeen() {
        return Optional.ofNullable(lastSeen);
    }

    /** When the host became overdue (OVERDUE, RECOVERED). */
    public Optional<Instant> overdueSince() {
        return Optional.ofNullable(overdueSince);
    }

    /** The deadline that passed: last heartbeat (or the time tracking began) plus interval plus grace (OVERDUE). */
    public Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }

    /** The interval that was in force. */
    public Optional<Duration> interval() {
        return Optional.ofNullable(interval);
    }

    /** The grace that was in force. */
    public Optional<Duration> grace() {
        return Optional.ofNullable(grace);
    }

    /** Where the datagram behind the event came from. */
    public Optional<InetSocketAddress> address() {
        return Optional.ofNullable(address);
    }

    /** When the host booted, by its own clock (BOOT). */
    public Optional<Instant> bootTime() {
        return Optional.ofNullable(bootTime);
    }

    /** One line for people: which host, what happened, since when. */
    public String message() {
        return message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostEvent e && e.id == id && e.type == type && e.host.equals(host) && e.time.equals(time)
                && e.statusBefore == statusBefore && e.statusAfter == statusAfter
                && Objects.equals(e.lastSeen, lastSeen) && Objects.equals(e.overdueSince, overdueSince)
                && Objects.equals(e.deadline, deadline) && Objects.equals(e.interval, interval)
                && Objects.equals(e.grace, grace) && Objects.equals(e.address, address)
                && Objects.equals(e.bootTime, bootTime) && e.message.equals(message);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        return "HostEvent[" + id + ", " + type + ", " + host + ", " + time + "]";
    }

    /** Builds a {@link HostEvent}. Optional facts may be set to null for "none". */
    public static final class Builder {
        private long id;
        private final Type type;
        private final String host;
        private Instant time;
        private HostStatus statusBefore;
        private HostStatus statusAfter;
        private Instant lastSeen;
        private Instant overdueSince;
        private Instant deadline;
        private Duration interval;
        private Duration grace;
        private InetSocketAddress address;
        private Instant bootTime;
        private String message;

        private Builder(Type type, String host) {
            this.type = Objects.requireNonNull(type, "type");
            if (host == null || host.isEmpty()) {
                throw new IllegalArgumentException("a host event needs a host");
            }
            this.host = host;
        }

        private Builder(HostEvent e) {
            this(e.type, e.host);
            this.id = e.id;
            this.time = e.time;
            this.statusBefore = e.statusBefore;
            this.statusAfter = e.statusAfter;
            this.lastSeen = e.lastSeen;
            this.overdueSince = e.overdueSince;
            this.deadline = e.deadline;
            this.interval = e.interval;
            this.grace = e.grace;
            this.address = e.address;
            this.bootTime = e.bootTime;
            this.message = e.message;
        }

        public Builder id(long id) {
            this.id = id;
            return this;
        }

        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        public Builder statusBefore(HostStatus status) {
            this.statusBefore = status;
            return this;
        }

        public Builder statusAfter(HostStatus status) {
            this.statusAfter = status;
            return this;
        }

        public Builder lastSeen(Instant lastSeen) {
            this.lastSeen = lastSeen;
            return this;
        }

        public Builder overdueSince(Instant overdueSince) {
            this.overdueSince = overdueSince;
            return this;
        }

        public Builder deadline(Instant deadline) {
            this.deadline = deadline;
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

        public Builder address(InetSocketAddress address) {
            this.address = address;
            return this;
        }

        public Builder bootTime(Instant bootTime) {
            this.bootTime = bootTime;
            return this;
        }

        public Builder message(String message) {
            this.message = message;
            return this;
        }

        /**
         * @throws IllegalArgumentException when the id is less than 1
         * @throws NullPointerException when the time is missing
         */
        public HostEvent build() {
            return new HostEvent(this);
        }
    }
}
