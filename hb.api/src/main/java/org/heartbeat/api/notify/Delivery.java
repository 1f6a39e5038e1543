package org.heartbeat.api.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * How sending one {@link Notification} went, as a {@link NotificationChannel} reports it. Immutable.
 *
 * <ul>
 * <li>{@link #delivered()}: the service took it. {@code hbd} records it and is done.</li>
 * <li>{@link #retry(String)}: a passing problem (a timeout, a 5xx answer, SMTP 4xx); {@code hbd} tries again
 * after an exponential backoff with jitter.</li>
 * <li>{@link #retryAfter(Duration, String)}: the service said when to come back (HTTP {@code Retry-After},
 * Matrix {@code retry_after_ms}); {@code hbd} waits at least that long.</li>
 * <li>{@link #failed(String)}: it will never work as configured (a wrong token, a 4xx other than 429, SMTP 5xx);
 * {@code hbd} records the failure, shows it in its API and log, and does not retry.</li>
 * </ul>
 *
 * The {@link #detail()} text is logged and shown in the API: say what the service answered, never a token or a
 * password. {@link #ofHttpStatus(int, String, String, Instant)} classifies an HTTP answer by the usual rules.
 */
public final class Delivery {
    /** The three ways a send can end. */
    public enum Outcome {
        DELIVERED,
        RETRY,
        FAILED
    }

    private static final Delivery DELIVERED = new Delivery(Outcome.DELIVERED, null, "delivered");

    private final Outcome outcome;
    private final Duration retryAfter;
    private final String detail;

    private Delivery(Outcome outcome, Duration retryAfter, String detail) {
        this.outcome = outcome;
        this.retryAfter = retryAfter;
        this.detail = detail == null || detail.isBlank() ? outcome.name().toLowerCase(java.util.Locale.ROOT) : detail;
    }

    /** The service took the notification. */
    public static Delivery delivered() {
        return DELIVERED;
    }

    /** The service took the notification; {@code detail} says more (a message id, say). */
    public static Delivery delivered(String detail) {
        return new Delivery(Outcome.DELIVERED, null, detail);
    }

    /** A passing problem: try again after a backoff {@code hbd} chooses. */
    public static Delivery retry(String reason) {
        return new Delivery(Outcome.RETRY, null, reason);
    }

    /**
     * A passing problem, and the service said when to come back.
     *
     * @throws IllegalArgumentException when {@code delay} is negative
     */
    public static Delivery retryAfter(Duration delay, String reason) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        return new Delivery(Outcome.RETRY, delay, reason);
    }

    /** It will not work as configured: recorded and shown, never retried. */
    public static Delivery failed(String reason) {
        return new Delivery(Outcome.FAILED, null, reason);
    }

    /**
     * An HTTP answer classified by the usual rules: 2xx delivered; 429 and 5xx retry (after {@code Retry-After}
     * when the answer has one); 408 retry; any other status failed. Services that report errors inside a 2xx
     * answer must look at the body first.
     *
     * @param status the HTTP status code
     * @param retryAfterHeader the {@code Retry-After} header, or null
     * @param detail what to record, for example the service's error message; the status is prepended
     * @param now the current time, to turn an HTTP-date {@code Retry-After} into a delay
     */
    public static Delivery ofHttpStatus(int status, String retryAfterHeader, String detail, Instant now) {
        String text = "HTTP " + status + (detail == null || detail.isBlank() ? "" : ": " + detail);
        if (status >= 200 && status < 300) {
            return new Delivery(Outcome.DELIVERED, null, text);
        }
        if (status == 429 || status == 408 || status >= 500) {
            Optional<Duration> after = parseRetryAfter(retryAfterHeader, now);
            return after.map(d -> new Delivery(Outcome.RETRY, d, text))
                    .orElseGet(() -> new Delivery(Outcome.RETRY, null, text));
        }
        return new Delivery(Outcome.FAILED, null, text);
    }

    /**
     * The delay an HTTP {@code Retry-After} header asks for: delay-seconds ({@code 120}) or an HTTP-date
     * ({@code Wed, 21 Oct 2026 07:28:00 GMT}, zero when in the past); empty when the header is absent or invalid.
     */
    public static Optional<Duration> parseRetryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String h = header.trim();
        if (h.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(h)));
            } catch (NumberFormatException e) {
                return Optional.empty(); // too many digits
            }
        }
        try {
            Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public Outcome outcome() {
        return outcome;
    }

    /** How long the service asked to wait before the next try; empty when it did not say. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** What happened, for the log and the API; never a secret. */
    public String detail() {
        return detail;
    }

    /**
     * This delivery with every occurrence of each secret in its {@link #detail()} replaced by {@code ***}; the
     * same outcome and delay. A channel that passes on what a service answered calls it with its tokens and
     * passwords (and their encoded forms), since a service may echo a request back. Null and empty secrets are
     * skipped.
     *
     * @return this delivery when the detail holds none of them
     * @since 1.1
     */
    public Delivery redact(String... secrets) {
        String text = detail;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                text = text.replace(secret, "***");
            }
        }
        return text.equals(detail) ? this : new Delivery(outcome, retryAfter, text);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Delivery d && d.outcome == outcome && Objects.equals(d.retryAfter, retryAfter)
                && d.detail.equals(detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(outcome, retryAfter, detail);
    }

    @Override
    public String toString() {
        return outcome + (retryAfter == null ? "" : " after " + retryAfter) + ": " + detail;
    }
}
