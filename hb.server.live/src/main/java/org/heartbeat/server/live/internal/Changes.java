package org.heartbeat.server.live.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.alert.Alert;

/**
 * What changed since the last look: host rows (a heartbeat changes last seen, RTT and count; the core tells no one
 * of heartbeats, so the rows are compared) and active alerts. Used by the {@link LiveHub}'s flush thread only; not
 * thread-safe. Its first look reports everything as changed.
 */
final class Changes {
    private Map<String, HostView> hosts = new HashMap<>();
    private Map<String, Views.AlertView> alerts = new HashMap<>();

    /** Rows of new and changed hosts, and the names of hosts that are gone. */
    List<Views.Update> hosts(List<HostView> now) {
        List<Views.Update> out = new ArrayList<>();
        Map<String, HostView> next = new HashMap<>(now.size() * 2);
        for (HostView h : now) {
            next.put(h.name(), h);
            if (!h.equals(hosts.get(h.name()))) {
                out.add(Views.HostUpdate.of(h));
            }
        }
        for (String name : hosts.keySet()) {
            if (!next.containsKey(name)) {
                out.add(Views.HostRemoved.of(name));
            }
        }
        hosts = next;
        return out;
    }

    /** New and changed alerts (acknowledged, silenced, a new value...), and those no longer active. */
    List<Views.Update> alerts(List<Alert> active) {
        List<Views.Update> out = new ArrayList<>();
        Map<String, Views.AlertView> next = new HashMap<>(active.size() * 2);
        for (Alert a : active) {
            Views.AlertView view = Views.AlertView.of(a);
            next.put(a.id(), view);
            if (!view.equals(alerts.get(a.id()))) {
                out.add(new Views.Update(a.host(), new Views.AlertUpdate("alert", view)));
            }
        }
        for (Map.Entry<String, Views.AlertView> e : alerts.entrySet()) {
            if (!next.containsKey(e.getKey())) {
                out.add(Views.AlertCleared.of(e.getKey(), e.getValue().host()));
            }
        }
        alerts = next;
        return out;
    }
}
