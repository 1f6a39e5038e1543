package org.heartbeat.server.outbox.internal;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.Severity;
import org.heartbeat.server.api.notify.OutboxEntry.State;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Entries and channel records as the store keeps them: JSON objects with times in ISO-8601, so a file can be read
 * with any MVStore tool and a later version can add fields. docs/design/outbox.md shows the fields.
 */
final class EntryCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

    private EntryCodec() {
    }

    /** What the store keeps of a channel, so its status survives a restart. */
    record ChannelRecord(int consecutiveFailures, Instant lastDelivered, String lastProblem) {
        static final ChannelRecord NEW = new ChannelRecord(0, null, "");

        ChannelRecord {
            lastProblem = lastProblem == null ? "" : lastProblem;
        }
    }

    static byte[] encode(StoredEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("channel", e.channel());
        m.put("state", e.state().name());
        m.put("attempts", e.attempts());
        m.put("created", e.created().toString());
        m.put("since", e.since().toString());
        m.put("next", text(e.next()));
        m.put("done", text(e.done()));
        m.put("detail", e.detail());
        m.put("held_in", e.heldIn());
        m.put("summary", e.summary());
        Notification n = e.notification();
        Map<String, Object> nm = new LinkedHashMap<>();
        nm.put("id", n.id());
        nm.put("event", n.event());
        nm.put("severity", n.severity().name());
        nm.put("host", n.host().orElse(null));
        nm.put("title", n.title());
        nm.put("body", n.body());
        nm.put("link", n.link().map(URI::toString).orElse(null));
        nm.put("time", n.time().toString());
        m.put("notification", nm);
        return write(m);
    }

    /**
     * @throws IOException when the bytes are no JSON object
     * @throws RuntimeException (such as {@link java.time.format.DateTimeParseException}) when a field is wrong
     */
    static StoredEntry decode(byte[] bytes) throws IOException {
        Map<String, Object> m = JSON.readValue(bytes, OBJECT);
        @SuppressWarnings("unchecked")
        Map<String, Object> nm = (Map<String, Object>) m.get("notification");
        Object link = nm.get("link");
        Notification n = Notification.builder().id((String) nm.get("id")).event((String) nm.get("event"))
                .severity(severity(nm.get("severity"))).host((String) nm.get("host")).title((String) nm.get("title"))
                .body((String) nm.get("body")).link(link == null ? null : URI.create(link.toString()))
                .time(Instant.parse((String) nm.get("time"))).build();
        return new StoredEntry(((Number) m.get("seq")).longValue(), (String) m.get("channel"),
                n, State.valueOf((String) m.get("state")), ((Number) m.get("attempts")).intValue(),
                Instant.parse((String) m.get("created")), Instant.parse((String) m.get("since")),
                instant(m.get("next")), instant(m.get("done")), (String) m.get("detail"),
                ((Number) m.getOrDefault("held_in", 0)).longValue(), Boolean.TRUE.equals(m.get("summary")));
    }

    static byte[] encode(ChannelRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("consecutive_failures", r.consecutiveFailures());
        m.put("last_delivered", text(r.lastDelivered()));
        m.put("last_problem", r.lastProblem());
        return write(m);
    }

    static ChannelRecord decodeChannel(byte[] bytes) throws IOException {
        Map<String, Object> m = JSON.readValue(bytes, OBJECT);
        return new ChannelRecord(((Number) m.getOrDefault("consecutive_failures", 0)).intValue(),
                instant(m.get("last_delivered")), (String) m.get("last_problem"));
    }

    /** A severity a later version may have added reads as {@link Severity#INFO}, as the API asks. */
    private static Severity severity(Object name) {
        for (Severity s : Severity.values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return Severity.INFO;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Instant instant(Object v) {
        return v == null ? null : Instant.parse(v.toString());
    }

    private static byte[] write(Map<String, Object> m) {
        try {
            return JSON.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an outbox record", e);
        }
    }
}
