package org.heartbeat.server.http.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Query parameters as the API documents them; each mistake names the parameter. */
final class Params {
    private Params() {
    }

    /**
     * A time: an ISO-8601 instant ({@code 2026-11-26T08:00:00Z}), date-time with offset, date (its midnight UTC), or
     * duration ({@code PT1H}: that long before now).
     */
    static Instant time(String name, String text, Instant now, Instant def) {
        if (text == null || text.isEmpty()) {
            return def;
        }
        try {
            if (text.startsWith("P") || text.startsWith("-P")) {
                return now.minus(Duration.parse(text.startsWith("-") ? text.substring(1) : text));
            }
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (text.endsWith("Z")) {
                return Instant.parse(text);
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(name + ": not an ISO-8601 time or duration: \"" + text
                    + "\" (examples: 2026-11-26T08:00:00Z, 2026-11-26, PT1H)");
        }
    }

    /** A whole number from {@code min} to {@code max}. */
    static long integer(String name, String text, long def, long min, long max) {
        if (text == null || text.isEmpty()) {
            return def;
        }
        try {
            long v = Long.parseLong(text);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": a whole number from " + min + " to " + max + ", got \"" + text
                + "\"");
    }

    /** Seconds, from 1 to 31 days, as a duration; null when absent. */
    static Duration step(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            double seconds = Double.parseDouble(text);
            if (seconds >= 1 && seconds <= 31 * 86_400.0) {
                return Duration.ofMillis(Math.round(seconds * 1000));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("step: a number of seconds from 1 to 2678400, got \"" + text + "\"");
    }
}
