package org.heartbeat.server.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Every host the server tracks: hosts that have reported, and the hosts of the configuration's {@code hosts:}
 * section, also before they report. A service of {@code hbd}'s core.
 *
 * <p>Each call returns immutable views as they are at that moment; they do not change afterwards, so hold on to
 * one only as long as a stale copy is good enough. Calls are safe from any thread and do not block for long (each
 * host is read under its own short lock); {@link #hosts()} copies every host, so a bundle that must follow
 * changes should listen to {@link org.heartbeat.server.api.event.HostEvent}s rather than poll it.
 *
 * <pre>{@code
 * @Reference HostDirectory hosts;
 *
 * long overdue = hosts.hosts().stream().filter(h -> h.status() == HostStatus.OVERDUE).count();
 * hosts.host("web1").flatMap(HostView::rtt).ifPresent(rtt -> ...);
 * }</pre>
 */
@ProviderType
public interface HostDirectory {
    /** Every tracked host, sorted by name in code point order ({@link String#compareTo}). */
    List<HostView> hosts();

    /** One host by its exact name. */
    Optional<HostView> host(String name);

    /** How many hosts are tracked. */
    int size();

    /** How many hosts are in each status; every status is a key, with 0 where none is. */
    Map<HostStatus, Integer> counts();
}
