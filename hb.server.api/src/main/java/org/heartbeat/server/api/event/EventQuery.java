package org.heartbeat.server.api.event;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which events an {@link EventJournal#read(EventQuery)} returns: all of its conditions hold for each. Immutable.
 *
 * <pre>{@code
 * EventQuery.builder().host("web1").since(Instant.parse("2026-11-26T00:00:00Z")).limit(50).build()
 * EventQuery.builder().after(lastSeenId).build()   // the next page
 * }</pre>
 */
public final class EventQuery {
    /** The default {@link #limit()}. */
    public static final int DEFAULT_LIMIT = 100;
    /** The largest {@link #limit()}. */
    public static final int MAX_LIMIT = 10_000;

    private final String host;
    private final Instant since;
    private final Instant until;
    private final long after;
    private final Set<HostEvent.Type> types;
    private final int limit;

    private EventQuery(Builder b) {
        this.host = b.host;
        this.since = b.since;
        this.until = b.until;
        this.after = b.after;
        this.types = b.types.isEmpty() ? Set.of() : Set.copyOf(b.types);
        this.limit = b.limit;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Only events of this host; empty for every host. */
    public Optional<String> host() {
        return Optional.ofNullable(host);
    }

    /** Only events at or after this time. */
    public Optional<Instant> since() {
        return Optional.ofNullable(since);
    }

    /** Only events before this time. */
    public Optional<Instant> until() {
        return Optional.ofNullable(until);
    }

    /** Only events with an id above this one; 0 for no such bound. */
    public long after() {
        return after;
    }

    /** Only events of these types; empty for every type. */
    public Set<HostEvent.Type> types() {
        return types;
    }

    /** At most this many events. */
    public int limit() {
        return limit;
    }

    /** Whether an event meets every condition but the limit. */
    public boolean matches(HostEvent e) {
        return e.id() > after && (host == null || host.equals(e.host()))
                && (since == null || !e.time().isBefore(since)) && (until == null || e.time().isBefore(until))
                && (types.isEmpty() || types.contains(e.type()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventQuery q && Objects.equals(q.host, host) && Objects.equals(q.since, since)
                && Objects.equals(q.until, until) && q.after == after && q.types.equals(types) && q.limit == limit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, since, until, after, types, limit);
    }

    @Override
    public String toString() {
        return "EventQuery[host=" + host + ", since=" + since + ", until=" + until + ", after=" + after + ", types="
                + types + ", limit=" + limit + "]";
    }

    /** Builds an {@link EventQuery}; without conditions it selects the oldest {@value #DEFAULT_LIMIT} events. */
    public static final class Builder {
        private String host;
        private Instant since;
        private Instant until;
        private long after;
        private final Set<HostEvent.Type> types = EnumSet.noneOf(HostEvent.Type.class);
        private int limit = DEFAULT_LIMIT;

        private Builder() {
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder since(Instant since) {
            this.since = since;
            return this;
        }

        public Builder until(Instant until) {
            this.until = until;
            return this;
        }

        /** Only events with an id above this one: the last id of the previous page. */
        public Builder after(long id) {
            if (id < 0) {
                throw new IllegalArgumentException("after must not be negative: " + id);
            }
            this.after = id;
            return this;
        }

        /** Only events of these types (added to those given before). */
        public Builder types(HostEvent.Type... types) {
            this.types.addAll(Set.of(types));
            return this;
        }

        /** At most this many, from 1 to {@value EventQuery#MAX_LIMIT}. */
        public Builder limit(int limit) {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", got " + limit);
            }
            this.limit = limit;
            return this;
        }

        public EventQuery build() {
            return new EventQuery(this);
        }
    }
}
