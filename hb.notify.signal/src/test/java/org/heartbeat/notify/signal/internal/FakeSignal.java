package org.heartbeat.notify.signal.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.heartbeat.notify.testing.Answer;
import org.heartbeat.notify.testing.FakeService;
import org.heartbeat.notify.testing.RecordedRequest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * bbernhard/signal-cli-rest-api's {@code POST /v2/send} (src/api/api.go, SendV2): a JSON body with
 * {@code message}, {@code number} and {@code recipients}; {@code 201 {"timestamp": "..."}} or
 * {@code 400 {"error": "..."}}, the texts as the handler and signal-cli write them.
 */
final class FakeSignal extends FakeService {
    private final String account;
    private final Set<String> reachable;

    FakeSignal(String account, Set<String> reachable) {
        this.account = account;
        this.reachable = reachable;
    }

    @Override
    protected List<String> check(RecordedRequest r) {
        List<String> p = new ArrayList<>();
        if (!r.method().equals("POST") || !r.rawPath().equals("/v2/send")) {
            p.add("messages are sent with POST /v2/send, got " + r.method() + " " + r.rawPath());
        }
        if (!r.mediaType().equals("application/json")) {
            p.add("the handler binds JSON: Content-Type application/json, got " + r.header("Content-Type").orElse(""));
        }
        if (!r.isJsonObject()) {
            p.add("the body must be a JSON object");
            return p;
        }
        JsonNode j = r.json();
        if (!j.path("message").isTextual() || j.path("message").asText().isEmpty()) {
            p.add("message must be a non-empty string");
        }
        if (!j.path("number").isTextual()) {
            p.add("number must be a string");
        }
        if (!j.path("recipients").isArray()) {
            p.add("recipients must be an array");
        } else {
            j.path("recipients").forEach(x -> {
                if (!x.isTextual()) {
                    p.add("recipients must be strings, got " + x);
                }
            });
        }
        return p;
    }

    @Override
    protected Answer answer(RecordedRequest r) {
        if (!r.isJsonObject()) {
            return error("Couldn't process request - invalid request");
        }
        JsonNode j = r.json();
        if (j.path("recipients").size() == 0) {
            return error("Couldn't process request - please provide at least one recipient");
        }
        if (j.path("number").asText("").isEmpty()) {
            return error("Couldn't process request - please provide a valid number");
        }
        if (!j.path("number").asText().equals(account)) {
            return error("Invalid account (phone number), make sure you include the country code.");
        }
        for (JsonNode recipient : j.path("recipients")) {
            if (!reachable.contains(recipient.asText())) {
                return error("Failed to send message: " + recipient.asText() + ": Unregistered user");
            }
        }
        return Answer.json(201, "{\"timestamp\":\"1764115224123\"}");
    }

    static Answer error(String message) {
        return Answer.json(400, "{\"error\":\"" + message + "\"}");
    }
}
