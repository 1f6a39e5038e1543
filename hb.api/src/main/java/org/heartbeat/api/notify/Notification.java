package org.heartbeat.api.notify;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One message for one channel: what {@code hbd} asks a {@link NotificationChannel} to send. Immutable.
 *
 * <p>The text is written by {@code hbd} and kept short: {@link #title()} is one line that names the host and
 * what happened ({@code web1 is overdue}); {@link #body()} adds a few short lines (since when, the value against
 * its threshold); {@link #link()} points at the host's page when the server's {@code base_url} is set. A channel
 * that sends one piece of text (SMS, chat) uses {@link #text()}; one with a subject and a body (email, push)
 * uses the parts.
 *
 * <pre>{@code
 * Notification n = Notification.builder()
 *         .id("ntf-1764115200000123")
 *         .event(Notification.HOST_OVERDUE)
 *         .severity(Severity.CRITICAL)
 *         .host("web1")
 *         .title("web1 is overdue")
 *         .body("No heartbeat since 08:00:12 UTC (interval 10 s + grace 2 s).")
 *         .time(Instant.parse("2026-11-26T08:00:24Z"))
 *         .build();
 * n.text()   // "web1 is overdue\nNo heartbeat since 08:00:12 UTC (interval 10 s + grace 2 s)."
 * }</pre>
 */
public final class Notification {
    /** {@link #event()} of a host that stopped reporting. */
    public static final String HOST_OVERDUE = "host.overdue";
    /** {@link #event()} of an overdue host that reports again. */
    public static final String HOST_RECOVERED = "host.recovered";
    /** {@link #event()} of a host's boot message. */
    public static final String HOST_BOOTED = "host.booted";
    /** {@link #event()} of a value that crossed its warning threshold. */
    public static final String THRESHOLD_WARNING = "threshold.warning";
    /** {@link #event()} of a value that crossed its critical threshold. */
    public static final String THRESHOLD_CRITICAL = "threshold.critical";
    /** {@link #event()} of a value back within its thresholds. */
    public static final String THRESHOLD_RECOVERED = "threshold.recovered";
    /** {@link #event()} of a plugin that reports errors. */
    public static final String PLUGIN_ERROR = "plugin.error";
    /** {@link #event()} of a summary of several notifications (held back by a send limit, a storm). */
    public static final String SUMMARY = "summary";
    /** {@link #event()} of a test message ({@code hbd notify}). */
    public static final String TEST = "test";

    /** The ellipsis that ends a cut {@link #text(int)}, U+2026, takes three bytes of UTF-8. */
    private static final int ELLIPSIS_BYTES = 3;

    private final String id;
    private final String event;
    private final Severity severity;
    private final String host;
    private final String title;
    private final String body;
    private final URI link;
    private final Instant time;

    private Notification(Builder b) {
        this.id = require(b.id, "id");
        this.event = require(b.event, "event");
        this.severity = Objects.requireNonNull(b.severity, "severity");
        this.host = b.host;
        this.title = require(b.title, "title");
        this.body = b.body == null ? "" : b.body;
        this.link = b.link;
        this.time = Objects.requireNonNull(b.time, "time");
    }

    private static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }

    /** A builder; {@code id}, {@code event}, {@code severity}, {@code title} and {@code time} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Unique and stable: the same notification keeps its id across retries and restarts of {@code hbd}. Pass it
     * to services that de-duplicate (a message id, an idempotency key) where they offer it.
     */
    public String id() {
        return id;
    }

    /** What happened: one of the constants of this class, or another dotted name in later versions. */
    public String event() {
        return event;
    }

    public Severity severity() {
        return severity;
    }

    /** The host it is about; empty for messages about no single host (a test, a summary). */
    public Optional<String> host() {
        return Optional.ofNullable(host);
    }

    /** One line, at most a few dozen characters: which host, what happened. */
    public String title() {
        return title;
    }

    /** A few short lines after the title; may be empty. */
    public String body() {
        return body;
    }

    /** A link to the host's page on the dashboard, when the server knows its own address. */
    public Optional<URI> link() {
        return Optional.ofNullable(link);
    }

    /** When it happened (not when it is sent: a retried notification keeps its time). */
    public Instant time() {
        return time;
    }

    /** Title, body and link as one text, one per line, for channels that send a single piece of text. */
    public String text() {
        StringBuilder s = new StringBuilder(title);
        if (!body.isEmpty()) {
            s.append('\n').append(body);
        }
        if (link != null) {
            s.append('\n').append(link);
        }
        return s.toString();
    }

    /**
     * {@link #text()} cut to at most {@code max} bytes of UTF-8, ending with an ellipsis ({@code \u2026}, three of
     * those bytes) when cut: for channels whose service limits the length in bytes, such as SMS and push. It cuts
     * only between code points (never inside a surrogate pair or a multi-byte sequence), at a line or word boundary
     * where one is near.
     *
     * <pre>{@code
     * n.text(160)   // the whole text when it is 160 bytes or shorter, else e.g. "web1 is overdue
No heartbeat…"
     * }</pre>
     *
     * @throws IllegalArgumentException when {@code max} is less than 3 (no room even for the ellipsis)
     * @since 1.1 (before, {@code max} counted UTF-16 chars)
     */
    public String text(int max) {
        if (max < ELLIPSIS_BYTES) {
            throw new IllegalArgumentException("max must be at least " + ELLIPSIS_BYTES + " bytes, got " + max);
        }
        String all = text();
        if (utf8Length(all, all.length()) <= max) {
            return all;
        }
        int budget = max - ELLIPSIS_BYTES;
        int end = 0;
        int bytes = 0;
        while (end < all.length()) {
            int cp = all.codePointAt(end);
            int n = utf8Length(cp);
            if (bytes + n > budget) {
                break;
            }
            bytes += n;
            end += Character.charCount(cp);
        }
        int space = Math.max(all.lastIndexOf(' ', end), all.lastIndexOf('\n', end));
        if (space > 0 && utf8Length(all, space) >= budget * 3 / 4) {
            end = space;
        }
        return all.substring(0, end).stripTrailing() + "\u2026";
    }

    /** The UTF-8 length of {@code s.substring(0, end)}. */
    private static int utf8Length(String s, int end) {
        int bytes = 0;
        for (int i = 0; i < end; i += Character.charCount(s.codePointAt(i))) {
            bytes += utf8Length(s.codePointAt(i));
        }
        return bytes;
    }

    private static int utf8Length(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        return codePoint < 0x10000 ? 3 : 4;
    }

    @Override
    public String toString() {
        return "Notification[" + id + ", " + event + ", " + severity + ", " + title + "]";
    }

    /** Builds a {@link Notification}. */
    public static final class Builder {
        private String id;
        private String event;
        private Severity severity;
        private String host;
        private String title;
        private String body;
        private URI link;
        private Instant time;

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder event(String event) {
            this.event = event;
            return this;
        }

        public Builder severity(Severity severity) {
            this.severity = severity;
            return this;
        }

        /** The host it is about, or null for none. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder body(String body) {
            this.body = body;
            return this;
        }

        /** A link to the host's page, or null for none. */
        public Builder link(URI link) {
            this.link = link;
            return this;
        }

        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        /**
         * @throws IllegalArgumentException when a required part is missing or empty
         * @throws NullPointerException when severity or time is missing
         */
        public Notification build() {
            return new Notification(this);
        }
    }
}
