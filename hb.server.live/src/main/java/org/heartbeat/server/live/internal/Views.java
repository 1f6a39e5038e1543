package org.heartbeat.server.live.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.heartbeat.server.api.Addresses;
import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.alert.Alert;
import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.api.plugin.PluginSample;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * The messages' parts, as records Jackson writes in snake case, in the shapes the REST API uses for the same things
 * (docs/HTTP_API.md, "Live updates (WebSocket)"). Every update names the host it concerns, so that a connection of a
 * user who is not an admin gets only the hosts that user owns.
 */
final class Views {
    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Views() {
    }

    /** One entry of a batch's {@code events}: its type word, the host it concerns (null: none), and its body. */
    record Update(String host, Object body) {
    }

    /** A host's row, as in {@code GET /api/hosts}, less its pending commands. */
    record Host(String name, String status, String lastSeen, Number interval, Number grace, Double rttMs,
            String address, String firstSeen, String overdueSince, String bootTime, String lastBoot,
            boolean configured, boolean authenticated, long heartbeats, List<Double> rttHistoryMs, String conflict,
            String owner, List<String> tags, List<String> dependsOn) {

        static Host of(HostView h) {
            return new Host(h.name(), h.status().word(), time(h.lastSeen()), seconds(h.interval()),
                    seconds(h.grace()), h.rtt().map(Views::millis).orElse(null),
                    h.address().map(a -> Addresses.ip(a.getAddress())).orElse(null), time(h.firstSeen()),
                    time(h.overdueSince()), time(h.bootTime()), time(h.lastBoot()), h.configured(),
                    h.authenticated(), h.heartbeats(), h.rttHistory().stream().map(Views::millis).toList(),
                    h.conflict().orElse(null), h.owner().orElse(null), h.tags(), h.dependsOn());
        }
    }

    /** An active alert, as in {@code GET /api/alerts}. */
    record AlertView(String id, String host, String kind, String subject, String severity, String since,
            Double value, Double threshold, String message, Map<String, String> acknowledged, boolean silenced,
            boolean flapping, String heldBack, String lastNotified) {

        static AlertView of(Alert a) {
            return new AlertView(a.id(), a.host(), a.kind().name().toLowerCase(Locale.ROOT), a.subject(),
                    a.severity().name(), time(a.since()), a.value().orElse(null), a.threshold().orElse(null),
                    a.message(), a.acknowledgement().map(k -> Map.of("user", k.user(), "time", time(k.time()),
                            "comment", k.comment())).orElse(null),
                    a.silenced(), a.flapping(), a.heldBack().orElse(null), time(a.lastNotified()));
        }
    }

    /** {@code {"type":"host","host":{...}}}: a host's row changed (a heartbeat, a status, a new host). */
    record HostUpdate(String type, Host host) {
        static Update of(HostView h) {
            return new Update(h.name(), new HostUpdate("host", Host.of(h)));
        }
    }

    /** {@code {"type":"host_removed","name":...}}: the host was forgotten. */
    record HostRemoved(String type, String name) {
        static Update of(String name) {
            return new Update(name, new HostRemoved("host_removed", name));
        }
    }

    /** {@code {"type":"event",...}}: a host event, as in {@code GET /api/events}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Event(String type, long id, String event, String host, String time, String statusBefore,
            String statusAfter, String message) {
        static Update of(HostEvent e) {
            return new Update(e.host(), new Event("event", e.id(), e.type().name().toLowerCase(Locale.ROOT), e.host(),
                    Views.time(e.time()), e.statusBefore().map(HostStatus::word).orElse(null),
                    e.statusAfter().map(HostStatus::word).orElse(null), e.message()));
        }
    }

    /** {@code {"type":"plugin",...}}: a plugin's newest values for a host. */
    record Plugin(String type, String host, String plugin, String time, Map<String, Object> values) {
        static Update of(PluginSample s) {
            return new Update(s.host(), new Plugin("plugin", s.host(), s.plugin(), Views.time(s.time()),
                    s.values().asMap()));
        }
    }

    /** {@code {"type":"alert","alert":{...}}}: an alert is new or changed (acknowledged, silenced...). */
    record AlertUpdate(String type, AlertView alert) {
        static Update of(Alert a) {
            return new Update(a.host(), new AlertUpdate("alert", AlertView.of(a)));
        }
    }

    /** {@code {"type":"alert_cleared","id":...}}: the alert is no longer active. */
    record AlertCleared(String type, String id, String host) {
        static Update of(String id, String host) {
            return new Update(host, new AlertCleared("alert_cleared", id, host));
        }
    }

    record Snapshot(String type, List<Host> hosts, List<AlertView> alerts) {
    }

    record Batch(String type, List<Object> events) {
    }

    static String snapshot(List<Host> hosts, List<AlertView> alerts) {
        return write(new Snapshot("snapshot", hosts, alerts));
    }

    static String batch(List<Update> updates) {
        return write(new Batch("batch", updates.stream().map(Update::body).toList()));
    }

    static String write(Object message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a live update as JSON: " + e.getMessage(), e);
        }
    }

    static String time(Instant t) {
        return t == null ? null : ISO.format(t);
    }

    static String time(Optional<Instant> t) {
        return t.map(ISO::format).orElse(null);
    }

    static Number seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? (Number) (millis / 1000) : (Number) (millis / 1000.0);
    }

    /** A round-trip time in milliseconds, to the microsecond. */
    static Double millis(Duration d) {
        return d.toNanos() / 1000 / 1000.0;
    }
}
