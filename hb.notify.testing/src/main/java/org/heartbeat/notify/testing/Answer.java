package org.heartbeat.notify.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link FakeService} answers to one request: a status, headers and a body, or no answer at all
 * ({@link #hang()}: the connection stays open until the fake service is closed).
 *
 * <pre>{@code
 * Answer.json(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":2000}").withHeader("Retry-After", "2")
 * }</pre>
 */
public final class Answer {
    private final int status;
    private final Map<String, String> headers;
    private final String body;
    private final boolean hang;

    private Answer(int status, Map<String, String> headers, String body, boolean hang) {
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.body = Objects.requireNonNull(body, "body");
        this.hang = hang;
    }

    /** A JSON answer ({@code Content-Type: application/json}). */
    public static Answer json(int status, String json) {
        return new Answer(status, Map.of("Content-Type", "application/json"), json, false);
    }

    /** A plain-text answer ({@code Content-Type: text/plain; charset=utf-8}). */
    public static Answer text(int status, String text) {
        return new Answer(status, Map.of("Content-Type", "text/plain; charset=utf-8"), text, false);
    }

    /** An answer of the given type, for bodies that are neither JSON nor plain text (an HTML error page). */
    public static Answer of(int status, String contentType, String body) {
        return new Answer(status, Map.of("Content-Type", contentType), body, false);
    }

    /** No answer: the request is read and then nothing is sent back until the service is closed. */
    public static Answer hang() {
        return new Answer(0, Map.of(), "", true);
    }

    /** This answer with one more header. */
    public Answer withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Answer(status, more, body, hang);
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public String body() {
        return body;
    }

    public boolean hangs() {
        return hang;
    }

    @Override
    public String toString() {
        return hang ? "Answer[hang]" : "Answer[" + status + ", " + headers + ", " + body + "]";
    }
}
