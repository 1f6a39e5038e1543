package org.heartbeat.notify.testing;

import java.net.URI;
import java.time.Instant;

import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.Severity;

/** Sample notifications, as {@code hbd} writes them. */
public final class TestNotifications {
    public static final String ID = "ntf-1764115200000123";
    public static final String TITLE = "web1 is overdue";
    public static final String BODY = "No heartbeat since 08:00:12 UTC (interval 10 s + grace 2 s).";
    public static final URI LINK = URI.create("https://hb.example.org/hosts/web1");
    public static final Instant TIME = Instant.parse("2026-11-26T08:00:24Z");

    private TestNotifications() {
    }

    /** A host overdue, CRITICAL, with title, body and link: {@link #builder()} built. */
    public static Notification overdue() {
        return builder().build();
    }

    /** The same notification with another severity. */
    public static Notification withSeverity(Severity severity) {
        return builder().severity(severity).build();
    }

    /** A builder filled like {@link #overdue()}, to change a part. */
    public static Notification.Builder builder() {
        return Notification.builder()
                .id(ID)
                .event(Notification.HOST_OVERDUE)
                .severity(Severity.CRITICAL)
                .host("web1")
                .title(TITLE)
                .body(BODY)
                .link(LINK)
                .time(TIME);
    }
}
