package org.heartbeat.server.internal.host;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.event.HostEvent;

/**
 * Brings the hosts of a state file up to date with the events journaled after it was written: the state file is
 * written every few seconds, the journal before any event is handed on, so after a crash the journal knows of
 * status changes the state file missed. Applying an event the state file already reflects changes nothing, so it
 * is safe to replay every event after the file's journal id. docs/design/events-and-state.md explains the order.
 */
public final class StateReplay {
    private StateReplay() {
    }

    /** The hosts as they were after the last of {@code events} (in id order). */
    public static List<SavedHost> apply(List<SavedHost> saved, List<HostEvent> events) {
        Map<String, SavedHost> hosts = new LinkedHashMap<>();
        for (SavedHost s : saved) {
            hosts.put(s.name(), s);
        }
        for (HostEvent e : events) {
            SavedHost s = hosts.get(e.host());
            switch (e.type()) {
                case NEW -> {
                    if (s == null) {
                        hosts.put(e.host(), new SavedHost(HostView.builder(e.host()).status(HostStatus.UP)
                                .firstSeen(e.time()).lastSeen(e.time()).address(e.address().orElse(null))
                                .heartbeats(1).build(), 0, 0, 1, 0));
                    }
                }
                case BOOT -> update(hosts, s, v -> v.status(HostStatus.UP).overdueSince(null)
                        .lastSeen(later(s.view().lastSeen(), e.time())).lastBoot(e.time())
                        .bootTime(e.bootTime().orElse(null)));
                case OVERDUE -> update(hosts, s, v -> v.status(HostStatus.OVERDUE)
                        .overdueSince(e.overdueSince().or(e::deadline).orElse(e.time())));
                case RECOVERED -> update(hosts, s, v -> v.status(HostStatus.UP).overdueSince(null)
                        .lastSeen(later(s.view().lastSeen(), e.time())));
                case FORGOTTEN -> hosts.remove(e.host());
                default -> {
                    // a name conflict changes no state that is saved
                }
            }
        }
        return List.copyOf(hosts.values());
    }

    private interface Change {
        HostView.Builder apply(HostView.Builder view);
    }

    private static void update(Map<String, SavedHost> hosts, SavedHost s, Change change) {
        if (s == null) {
            return; // a host the file and the journal's NEW event both miss: nothing to bring up to date
        }
        HostView v = change.apply(s.view().toBuilder()).build();
        hosts.put(s.name(), new SavedHost(v, s.lastSeq(), s.maxSeq(), s.nextCommandId(), s.commandsDone()));
    }

    private static Instant later(Optional<Instant> a, Instant b) {
        return a.filter(t -> t.isAfter(b)).orElse(b);
    }
}
