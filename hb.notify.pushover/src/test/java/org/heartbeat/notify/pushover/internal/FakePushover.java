package org.heartbeat.notify.pushover.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.heartbeat.notify.testing.Answer;
import org.heartbeat.notify.testing.FakeService;
import org.heartbeat.notify.testing.RecordedRequest;

/**
 * Pushover's message API as pushover.net/api documents it: {@code POST /1/messages.json}, form-encoded, with an
 * application token and a user key it knows; answers {@code {"status":1,"request":...}} or a 4xx with
 * {@code status 0} and an {@code errors} array, and the app's monthly limit in {@code X-Limit-App-*} headers.
 */
final class FakePushover extends FakeService {
    private static final Set<String> FIELDS = Set.of("token", "user", "message", "title", "priority", "timestamp",
            "url", "url_title", "sound", "device", "retry", "expire", "html", "monospace", "ttl", "callback", "tags",
            "attachment_base64", "attachment_type");
    /** When the monthly count resets, as Pushover says in X-Limit-App-Reset: three days from now, here. */
    final long reset = Instant.now().plus(Duration.ofDays(3)).getEpochSecond();

    private final String token;
    private final String user;

    FakePushover(String token, String user) {
        this.token = token;
        this.user = user;
    }

    @Override
    protected List<String> check(RecordedRequest r) {
        List<String> p = new ArrayList<>();
        if (!r.method().equals("POST")) {
            p.add("messages must be POSTed, got " + r.method());
        }
        if (!r.rawPath().equals("/1/messages.json")) {
            p.add("the messages endpoint is /1/messages.json, got " + r.rawPath());
        }
        if (!r.mediaType().equals("application/x-www-form-urlencoded")) {
            p.add("parameters are form-encoded, got Content-Type " + r.header("Content-Type").orElse("(none)"));
        }
        if (!r.rawQuery().isEmpty()) {
            p.add("parameters belong in the body, not the query: " + r.rawQuery());
        }
        Map<String, List<String>> f = r.form();
        f.forEach((k, v) -> {
            if (!FIELDS.contains(k)) {
                p.add("unknown parameter " + k);
            }
            if (v.size() != 1) {
                p.add("parameter " + k + " given " + v.size() + " times");
            }
        });
        for (String required : List.of("token", "user", "message")) {
            if (value(f, required).isBlank()) {
                p.add(required + " is required");
            }
        }
        limit(p, f, "message", 1024);
        limit(p, f, "title", 250);
        limit(p, f, "url", 512);
        limit(p, f, "url_title", 100);
        if (f.containsKey("url_title") && !f.containsKey("url")) {
            p.add("url_title without url");
        }
        if (f.containsKey("timestamp") && !value(f, "timestamp").matches("\\d+")) {
            p.add("timestamp must be a Unix time, got " + value(f, "timestamp"));
        }
        String priority = f.containsKey("priority") ? value(f, "priority") : "0";
        if (!priority.matches("-2|-1|0|1|2")) {
            p.add("priority must be -2..2, got " + priority);
        }
        if (priority.equals("2")) {
            if (!value(f, "retry").matches("\\d+") || Integer.parseInt(value(f, "retry")) < 30) {
                p.add("priority 2 needs retry of at least 30, got " + value(f, "retry"));
            }
            if (!value(f, "expire").matches("\\d+") || Integer.parseInt(value(f, "expire")) > 10800) {
                p.add("priority 2 needs expire of at most 10800, got " + value(f, "expire"));
            }
        }
        return p;
    }

    @Override
    protected Answer answer(RecordedRequest r) {
        Map<String, List<String>> f = r.form();
        if (!value(f, "token").equals(token)) {
            return invalid("token", "application token is invalid");
        }
        if (!value(f, "user").equals(user)) {
            return invalid("user", "user identifier is not a valid user, group, or subscribed user key");
        }
        if (value(f, "message").isBlank()) {
            return invalid("message", "message cannot be blank");
        }
        if (value(f, "priority").equals("2") && value(f, "expire").isBlank()) {
            return invalid("expire", "expire must be supplied with priority=2");
        }
        String receipt = value(f, "priority").equals("2") ? ",\"receipt\":\"rLqVuqTRh62UzxtmqiaLzQmVcPgiCy\"" : "";
        return limits(Answer.json(200, "{\"status\":1,\"request\":\"" + UUID.randomUUID() + "\"" + receipt + "}"), 7496);
    }

    /** A 4xx as Pushover sends it for invalid input. */
    static Answer invalid(String field, String error) {
        return Answer.json(400, "{\"" + field + "\":\"invalid\",\"errors\":[\"" + error + "\"],\"status\":0,"
                + "\"request\":\"5042853c-402d-4a18-abcb-168734a801de\"}");
    }

    /** The 429 Pushover sends once the application's monthly limit is used up. */
    Answer overQuota() {
        return limits(Answer.json(429, "{\"errors\":[\"application has exceeded its monthly message limit\"],"
                + "\"status\":0,\"request\":\"a5ee3f6b-4b3e-4d8e-9a53-17f0b6c5a0c1\"}"), 0);
    }

    private Answer limits(Answer a, int remaining) {
        return a.withHeader("X-Limit-App-Limit", "10000").withHeader("X-Limit-App-Remaining", Integer.toString(remaining))
                .withHeader("X-Limit-App-Reset", Long.toString(reset));
    }

    private static void limit(List<String> p, Map<String, List<String>> f, String field, int max) {
        String v = value(f, field);
        if (v.codePointCount(0, v.length()) > max) {
            p.add(field + " is limited to " + max + " characters, got " + v.codePointCount(0, v.length()));
        }
    }

    private static String value(Map<String, List<String>> f, String field) {
        List<String> v = f.get(field);
        return v == null || v.isEmpty() ? "" : v.get(0);
    }
}
