package org.heartbeat.server.internal;

import java.io.IOException;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletResponse;

/** What every resource of the REST API shares: its HTTP instance, JSON output, the error body. */
final class Api {
    /** Whiteboard target: the main HTTP instance on {@code hbd_port}, not the WebSocket one. */
    static final String TARGET = "(org.apache.felix.http.name=" + HttpInstances.MAIN + ")";

    /** Generators from a mapper's factory can also write plain values (maps, lists) with writeObject. */
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes the body of a JSON response. */
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private Api() {
    }

    static void json(HttpServletResponse resp, int status, Body body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        try (JsonGenerator g = JSON.getFactory().createGenerator(resp.getOutputStream(), JsonEncoding.UTF8)) {
            body.write(g);
        }
    }

    /** The error body every resource uses: {@code {"status": 404, "error": "..."}}. */
    static void error(HttpServletResponse resp, int status, String message) throws IOException {
        json(resp, status, g -> {
            g.writeStartObject();
            g.writeNumberField("status", status);
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }

    static void methodNotAllowed(HttpServletResponse resp, String allowed) throws IOException {
        resp.setHeader("Allow", allowed);
        error(resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method not allowed; this resource takes " + allowed);
    }

    /** ISO-8601 UTC with milliseconds, or JSON null for 0. */
    static void time(JsonGenerator g, String field, long millis) throws IOException {
        if (millis == 0) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, StateFile.ISO.format(Instant.ofEpochMilli(millis)));
        }
    }

    /** Seconds as a JSON number: whole numbers without a fraction. */
    static void seconds(JsonGenerator g, String field, long millis) throws IOException {
        if (millis % 1000 == 0) {
            g.writeNumberField(field, millis / 1000);
        } else {
            g.writeNumberField(field, millis / 1000.0);
        }
    }

    /** Microseconds as milliseconds, or JSON null for a negative value. */
    static double millis(long micros) {
        return micros / 1000.0;
    }
}
