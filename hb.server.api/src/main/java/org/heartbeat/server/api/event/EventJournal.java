package org.heartbeat.server.api.event;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The persisted record of host events, bounded by the {@code events:} retention settings: what
 * {@code GET /api/events} reads, and where a host's boot history and the alert history come from. A service of
 * {@code hbd}'s core, safe from any thread.
 *
 * <p>Reading may touch the disk: call it from a thread that may wait (an HTTP request, a listener's own thread),
 * not from the receiver's or the timer's.
 *
 * <pre>{@code
 * List<HostEvent> boots = journal.read(EventQuery.builder()
 *         .host("web1").types(HostEvent.Type.BOOT).since(Instant.now().minus(Duration.ofDays(30))).build());
 * }</pre>
 */
@ProviderType
public interface EventJournal {
    /** The events a query selects, in the order of their ids (oldest first), at most its limit. */
    List<HostEvent> read(EventQuery query);

    /** The id of the newest event; 0 before the first. */
    long lastId();
}
