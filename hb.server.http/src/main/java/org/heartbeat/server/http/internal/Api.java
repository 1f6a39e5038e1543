package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import jakarta.servlet.http.HttpServletResponse;

/**
 * What every resource of the REST API shares: its HTTP instance, one JSON mapper (response types are records,
 * their components written in snake case), the error body, and how times and durations are written.
 */
final class Api {
    /** Whiteboard target: the main HTTP instance on {@code hbd_port}, not the WebSocket one. */
    static final String TARGET = "(org.apache.felix.http.name=hbd)";
    static final String JSON_TYPE = "application/json";

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** The error body every resource uses: {@code {"status": 404, "error": "..."}}. */
    record Error(int status, String error) {
    }

    private Api() {
    }

    /** Writes a JSON response: the body is a record, a list of records, or plain maps and lists. */
    static void json(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType(JSON_TYPE);
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        JSON.writeValue(resp.getOutputStream(), body);
    }

    static void error(HttpServletResponse resp, int status, String message) throws IOException {
        json(resp, status, new Error(status, message));
    }

    static void methodNotAllowed(HttpServletResponse resp, String allowed) throws IOException {
        resp.setHeader("Allow", allowed);
        error(resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method not allowed; this resource takes " + allowed);
    }

    /** ISO-8601 UTC with milliseconds: {@code 2026-11-26T01:17:58.569Z}. */
    static String time(Instant t) {
        return ISO.format(t);
    }

    /** ISO-8601 UTC with milliseconds, or null for none. */
    static String time(Optional<Instant> t) {
        return t.map(ISO::format).orElse(null);
    }

    /** Seconds as a JSON number: whole numbers without a fraction. */
    static Number seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? (Number) (millis / 1000) : (Number) (millis / 1000.0);
    }

    static Number seconds(Optional<Duration> d) {
        return d.map(Api::seconds).orElse(null);
    }

    /** A round-trip time in milliseconds, to the microsecond. */
    static double millis(Duration d) {
        return d.toNanos() / 1000 / 1000.0;
    }
}
