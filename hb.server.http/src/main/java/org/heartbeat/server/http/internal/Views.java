package org.heartbeat.server.http.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.heartbeat.server.api.Addresses;
import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.ListenerStatus;
import org.heartbeat.server.api.PendingCommand;
import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.api.plugin.HistoryPoint;
import org.heartbeat.server.api.plugin.PluginState;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The API's response bodies, as records Jackson writes (components in snake case, in declaration order), and how
 * they are made from the server API's types. docs/HTTP_API.md documents every field.
 */
final class Views {
    private Views() {
    }

    record Command(long id, String name, String argument) {
        static Command of(PendingCommand c) {
            return new Command(c.id(), c.name(), c.argument());
        }
    }

    record Host(String name, String status, String lastSeen, Number interval, Number grace, Double rttMs,
            String address, String firstSeen, String overdueSince, String bootTime, String lastBoot,
            Number announcedInterval, boolean configured, boolean authenticated, long heartbeats,
            List<Double> rttHistoryMs, String conflict, List<Command> pendingCommands, String owner, List<String> tags,
            List<String> dependsOn, Map<String, Object> overrides) {

        /** The host without overrides (for views that do not show them). */
        static Host of(HostView h) {
            return of(h, Map.of());
        }

        /** The host with its settings overrides; its other fields are the settings in force. */
        static Host of(HostView h, Map<String, Object> overrides) {
            return new Host(h.name(), h.status().word(), Api.time(h.lastSeen()), Api.seconds(h.interval()),
                    Api.seconds(h.grace()), h.rtt().map(Api::millis).orElse(null),
                    h.address().map(a -> Addresses.ip(a.getAddress())).orElse(null), Api.time(h.firstSeen()),
                    Api.time(h.overdueSince()), Api.time(h.bootTime()), Api.time(h.lastBoot()),
                    Api.seconds(h.announcedInterval()), h.configured(), h.authenticated(), h.heartbeats(),
                    h.rttHistory().stream().map(Api::millis).toList(), h.conflict().orElse(null),
                    h.pendingCommands().stream().map(Command::of).toList(), h.owner().orElse(null), h.tags(),
                    h.dependsOn(), overrides);
        }
    }

    record PluginError(String message, String time) {
    }

    record Plugin(String status, String time, String received, Number interval, Map<String, Object> values,
            PluginError error) {

        static Plugin of(PluginState s, Instant now) {
            return new Plugin(s.status(now).word(), Api.time(s.time()), Api.time(s.received()),
                    Api.seconds(s.interval()), s.values().map(m -> m.asMap()).orElse(null),
                    s.error().map(e -> new PluginError(e, Api.time(s.errorTime()))).orElse(null));
        }
    }

    record Plugins(String host, Map<String, Plugin> plugins) {
    }

    record OnePlugin(String host, String plugin, Plugin state) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Point(String time, double value, Double min, Double max, Long count) {
        static Point of(HistoryPoint p) {
            return p.combined() ? new Point(Api.time(p.time()), p.value(), p.min(), p.max(), p.count())
                    : new Point(Api.time(p.time()), p.value(), null, null, null);
        }
    }

    record History(String host, String plugin, String metric, String since, String until, Number step,
            boolean truncated, List<Point> points) {
    }

    record Event(long id, String type, String host, String time, String statusBefore, String statusAfter,
            String lastSeen, String overdueSince, String deadline, Number interval, Number grace, String address,
            String bootTime, String message) {

        static Event of(HostEvent e) {
            return new Event(e.id(), word(e.type()), e.host(), Api.time(e.time()),
                    e.statusBefore().map(HostStatus::word).orElse(null),
                    e.statusAfter().map(HostStatus::word).orElse(null), Api.time(e.lastSeen()),
                    Api.time(e.overdueSince()), Api.time(e.deadline()), Api.seconds(e.interval()),
                    Api.seconds(e.grace()), e.address().map(Views::address).orElse(null), Api.time(e.bootTime()),
                    e.message());
        }
    }

    record Listener(String name, String kind, long delivered, long behind, long failures, long coalesced,
            boolean stalled, String busySince) {

        static Listener of(ListenerStatus s, Instant now, Duration stall) {
            return new Listener(s.name(), s.kind().name().toLowerCase(Locale.ROOT), s.delivered(), s.behind(),
                    s.failures(), s.coalesced(), s.stalled(now, stall), Api.time(s.busySince()));
        }
    }

    /** The API's word for an event type: {@code overdue}, {@code name_conflict}. */
    static String word(HostEvent.Type type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    static HostEvent.Type type(String word) {
        try {
            return HostEvent.Type.valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> known = new ArrayList<>();
            for (HostEvent.Type t : HostEvent.Type.values()) {
                known.add(word(t));
            }
            throw new IllegalArgumentException("type: no event type \"" + word + "\" (" + String.join(", ", known) + ")");
        }
    }

    static String address(InetSocketAddress a) {
        return Addresses.ip(a.getAddress());
    }

    /** Points combined into steps: count-weighted average, minimum, maximum. */
    static List<HistoryPoint> resample(List<HistoryPoint> points, Duration step) {
        long stepMillis = step.toMillis();
        List<HistoryPoint> out = new ArrayList<>();
        long bucket = Long.MIN_VALUE;
        double sum = 0;
        double min = 0;
        double max = 0;
        long count = 0;
        for (HistoryPoint p : points) {
            long b = Math.floorDiv(p.time().toEpochMilli(), stepMillis) * stepMillis;
            if (b != bucket && count > 0) {
                out.add(new HistoryPoint(Instant.ofEpochMilli(bucket), sum / count, min, max, count));
                count = 0;
            }
            if (count == 0) {
                bucket = b;
                sum = 0;
                min = p.min();
                max = p.max();
            }
            sum += p.value() * p.count();
            min = Math.min(min, p.min());
            max = Math.max(max, p.max());
            count += p.count();
        }
        if (count > 0) {
            out.add(new HistoryPoint(Instant.ofEpochMilli(bucket), sum / count, min, max, count));
        }
        return out;
    }
}
