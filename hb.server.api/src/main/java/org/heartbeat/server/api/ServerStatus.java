package org.heartbeat.server.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The state of {@code hbd}'s core for the status API and {@code /metrics}: its UDP endpoint, what became of the
 * datagrams it received, and how far behind each listener of events and samples is. A service of the core; every
 * method returns at once, from counters, and is safe from any thread.
 */
@ProviderType
public interface ServerStatus {
    /** When the core started. */
    Instant started();

    /** The UDP port heartbeats are received on, as really bound (differs from {@code hb_port} 0). */
    int udpPort();

    /**
     * Datagrams counted since start, by what became of them: {@code received}, {@code acked},
     * {@code plugin_messages}, {@code malformed_<reason>}, {@code dropped_<reason>}, and so on, as docs/HTTP_API.md
     * lists them. Keys keep their order from one call to the next.
     */
    Map<String, Long> datagrams();

    /** Every listener of host events and of plugin samples, with how far behind it is. */
    List<ListenerStatus> listeners();
}
