package org.heartbeat.server.http.internal;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.heartbeat.api.MetricPath;
import org.heartbeat.server.api.HostDirectory;
import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.plugin.HistoryPoint;
import org.heartbeat.server.api.plugin.PluginState;
import org.heartbeat.server.api.plugin.PluginValues;

/** Services of the server API holding what a test gives them. */
final class Fakes {
    private Fakes() {
    }

    static HostDirectory hosts(HostView... views) {
        Map<String, HostView> byName = new TreeMap<>();
        for (HostView v : views) {
            byName.put(v.name(), v);
        }
        return new HostDirectory() {
            @Override
            public List<HostView> hosts() {
                return List.copyOf(byName.values());
            }

            @Override
            public Optional<HostView> host(String name) {
                return Optional.ofNullable(byName.get(name));
            }

            @Override
            public int size() {
                return byName.size();
            }

            @Override
            public Map<HostStatus, Integer> counts() {
                Map<HostStatus, Integer> c = new EnumMap<>(HostStatus.class);
                for (HostStatus s : HostStatus.values()) {
                    c.put(s, (int) byName.values().stream().filter(h -> h.status() == s).count());
                }
                return c;
            }
        };
    }

    static PluginValues values(Map<String, Map<String, PluginState>> all) {
        return new PluginValues() {
            @Override
            public Map<String, PluginState> plugins(String host) {
                return all.getOrDefault(host, Map.of());
            }

            @Override
            public Map<String, Map<String, PluginState>> all() {
                return all;
            }

            @Override
            public List<MetricPath> metrics(String host, String plugin) {
                return List.of();
            }

            @Override
            public Optional<List<HistoryPoint>> history(String host, String plugin, MetricPath metric, Instant since,
                    Instant until, int limit) {
                return Optional.empty();
            }
        };
    }
}
