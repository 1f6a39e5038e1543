package org.heartbeat.server.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How one listener of host events or plugin samples keeps up: each has its own delivery thread, so a slow one
 * falls behind alone. Immutable.
 */
public final class ListenerStatus {
    /** What a listener listens to. */
    public enum Kind {
        /** {@link org.heartbeat.server.api.event.HostEventListener} */
        EVENTS,
        /** {@link org.heartbeat.server.api.plugin.PluginListener} */
        SAMPLES
    }

    private final String name;
    private final Kind kind;
    private final long delivered;
    private final long behind;
    private final long failures;
    private final long coalesced;
    private final Instant busySince;

    /**
     * @param name the listener's name: its {@code heartbeat.listener.name} service property, else its component
     *        name, else its class name
     * @param kind what it listens to
     * @param delivered how many it was handed since it was bound
     * @param behind how many wait for it
     * @param failures how many of its calls threw
     * @param coalesced samples it never saw because a newer one of the same series replaced them while it was
     *        behind; always 0 for events, which are never coalesced
     * @param busySince when the call it is in now began; null when it is idle
     */
    public ListenerStatus(String name, Kind kind, long delivered, long behind, long failures, long coalesced,
            Instant busySince) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.delivered = delivered;
        this.behind = behind;
        this.failures = failures;
        this.coalesced = coalesced;
        this.busySince = busySince;
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public long delivered() {
        return delivered;
    }

    /** How many events or samples wait for this listener. */
    public long behind() {
        return behind;
    }

    public long failures() {
        return failures;
    }

    public long coalesced() {
        return coalesced;
    }

    /** When the call the listener is in began; empty when it is idle. */
    public Optional<Instant> busySince() {
        return Optional.ofNullable(busySince);
    }

    /**
     * Whether the listener counts as stalled at {@code now}: in one call for longer than {@code threshold}. The
     * server names stalled listeners in its log, {@code /api/status} and {@code /metrics}.
     */
    public boolean stalled(Instant now, Duration threshold) {
        return busySince != null && Duration.between(busySince, now).compareTo(threshold) > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ListenerStatus s && s.name.equals(name) && s.kind == kind && s.delivered == delivered
                && s.behind == behind && s.failures == failures && s.coalesced == coalesced
                && Objects.equals(s.busySince, busySince);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind, delivered, behind, failures, coalesced, busySince);
    }

    @Override
    public String toString() {
        return name + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + "): delivered " + delivered + ", behind "
                + behind + (busySince == null ? "" : ", busy since " + busySince);
    }
}
