package org.heartbeat.notify.mattermost.internal;

import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.Optional;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.notify.support.Answers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Mattermost server's answers to an incoming-webhook post:
 * <ul>
 * <li>200 ({@code ok}): posted, delivered.</li>
 * <li>400 (invalid webhook, unparsable payload, unknown user), 401, 403 (locked channel, no permission), 404
 * (unknown channel) and other 4xx: failed, with Mattermost's error id and message
 * ({@code {"id":"web.incoming_webhook.invalid.app_error","message":"Invalid webhook.",...}}).</li>
 * <li>429: Mattermost's rate limiter, which sends {@code Retry-After} and {@code X-Ratelimit-Reset} (seconds until
 * the limit resets): retried after that.</li>
 * <li>5xx: retried; 501 means an administrator turned incoming webhooks off, which an administrator can mend.</li>
 * </ul>
 */
final class MattermostAnswers {

    private MattermostAnswers() {
    }

    static Delivery classify(int status, HttpHeaders headers, String body, Instant now) {
        String retryAfter = headers.firstValue("Retry-After").orElse(null);
        if (status == 429 && Delivery.parseRetryAfter(retryAfter, now).isEmpty()) {
            // Mattermost's limiter (throttled) counts X-Ratelimit-Reset in seconds from now
            retryAfter = headers.firstValue("X-Ratelimit-Reset").filter(v -> v.trim().matches("\\d{1,9}"))
                    .orElse(null);
        }
        return Delivery.ofHttpStatus(status, retryAfter, detail(body), now);
    }

    /** Mattermost's error id and message, or the start of the body when it is not Mattermost's JSON. */
    static String detail(String body) {
        Optional<JsonNode> json = Answers.jsonObject(body);
        if (json.isPresent() && json.get().hasNonNull("id")) {
            JsonNode j = json.get();
            String message = j.path("message").asText("");
            return j.path("id").asText() + (message.isEmpty() ? "" : ": " + message);
        }
        return Answers.snippet(body);
    }
}
