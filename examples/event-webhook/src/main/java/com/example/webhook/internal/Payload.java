package com.example.webhook.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.event.HostEvent;

/**
 * What is posted for one event, written by Jackson in snake case, with the names and formats of
 * {@code GET /api/events}:
 *
 * <pre>{@code
 * {"id":1764115224000001,"type":"overdue","host":"web1","time":"2026-11-26T08:00:24.000Z",
 *  "status_before":"up","status_after":"overdue","message":"web1 is overdue: ..."}
 * }</pre>
 */
record Payload(long id, String type, String host, String time, String statusBefore, String statusAfter,
        String message) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    static Payload of(HostEvent e) {
        return new Payload(e.id(), e.type().name().toLowerCase(Locale.ROOT), e.host(), time(e.time()),
                e.statusBefore().map(HostStatus::word).orElse(null),
                e.statusAfter().map(HostStatus::word).orElse(null), e.message());
    }

    private static String time(Instant t) {
        return TIME.format(t);
    }
}
