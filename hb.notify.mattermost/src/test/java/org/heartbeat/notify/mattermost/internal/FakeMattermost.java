package org.heartbeat.notify.mattermost.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import org.heartbeat.notify.testing.Answer;
import org.heartbeat.notify.testing.FakeService;
import org.heartbeat.notify.testing.RecordedRequest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Mattermost server's incoming webhooks as developers.mattermost.com documents them and its server code
 * answers: {@code POST /hooks/<key>} with a JSON body whose {@code text} is required; {@code 200 ok}, or an
 * application error as JSON ({@code id}, {@code message}, {@code status_code}).
 */
final class FakeMattermost extends FakeService {
    private static final Set<String> FIELDS = Set.of("text", "channel", "username", "icon_url", "icon_emoji",
            "attachments", "type", "props", "priority");

    private final String key;
    private final Set<String> channels;

    FakeMattermost(String key, Set<String> channels) {
        this.key = key;
        this.channels = channels;
    }

    String hookUrl() {
        return baseUrl() + "/hooks/" + key;
    }

    @Override
    protected List<String> check(RecordedRequest r) {
        List<String> p = new ArrayList<>();
        if (!r.method().equals("POST")) {
            p.add("webhooks take POST, got " + r.method());
        }
        if (!r.rawPath().startsWith("/hooks/")) {
            p.add("incoming webhooks live under /hooks/, got " + r.rawPath());
        }
        if (!r.mediaType().equals("application/json")) {
            p.add("a JSON payload needs Content-Type application/json, got " + r.header("Content-Type").orElse("(none)"));
        }
        if (!r.isJsonObject()) {
            p.add("the payload must be a JSON object: " + r.bodyText());
            return p;
        }
        JsonNode j = r.json();
        for (Iterator<String> names = j.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                p.add("unknown parameter " + name);
            } else if (!name.equals("attachments") && !name.equals("props") && !name.equals("priority")
                    && !j.get(name).isTextual()) {
                p.add(name + " must be a string");
            }
        }
        if (!j.path("text").isTextual() || j.path("text").asText().isEmpty()) {
            p.add("text is required when there are no attachments");
        }
        return p;
    }

    @Override
    protected Answer answer(RecordedRequest r) {
        if (!r.rawPath().equals("/hooks/" + key)) {
            return error(400, "web.incoming_webhook.invalid.app_error", "Invalid webhook.");
        }
        if (!r.isJsonObject()) {
            return error(400, "web.incoming_webhook.parse.app_error", "Unable to parse incoming data.");
        }
        String channel = r.json().path("channel").asText("");
        if (!channel.isEmpty() && !channels.contains(channel)) {
            return error(404, "web.incoming_webhook.channel.app_error", "Couldn't find the channel.");
        }
        return Answer.text(200, "ok");
    }

    /** An application error as Mattermost's API writes it. */
    static Answer error(int status, String id, String message) {
        return Answer.json(status, "{\"id\":\"" + id + "\",\"message\":\"" + message + "\",\"detailed_error\":\"\","
                + "\"request_id\":\"hoan6o9ws7rp5xj7wu9rmysrte\",\"status_code\":" + status + "}");
    }

    /** Mattermost's rate limiter saying no: seconds until reset, and Retry-After when {@code retryAfter} is set. */
    static Answer rateLimited(int reset, boolean withRetryAfter) {
        Answer a = Answer.text(429, "limit exceeded\n").withHeader("X-Ratelimit-Limit", "10")
                .withHeader("X-Ratelimit-Remaining", "0").withHeader("X-Ratelimit-Reset", Integer.toString(reset));
        return withRetryAfter ? a.withHeader("Retry-After", Integer.toString(reset)) : a;
    }
}
