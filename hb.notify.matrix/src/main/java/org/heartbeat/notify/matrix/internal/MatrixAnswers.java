package org.heartbeat.notify.matrix.internal;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.notify.support.Answers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A homeserver's answers, classified by the client-server API's rules (spec.matrix.org, "Standard error
 * response", "Rate limiting"):
 * <ul>
 * <li>200: done; for a send, the answer names the new {@code event_id}.</li>
 * <li>429 {@code M_LIMIT_EXCEEDED}: retried after {@code Retry-After} or the (deprecated, still common)
 * {@code retry_after_ms}, whichever is longer.</li>
 * <li>401 ({@code M_UNKNOWN_TOKEN}, {@code M_MISSING_TOKEN}), 403 ({@code M_FORBIDDEN}: not in the room), 404, 400
 * and other 4xx: failed, with the {@code errcode} and {@code error}.</li>
 * <li>5xx: retried.</li>
 * </ul>
 */
final class MatrixAnswers {

    private MatrixAnswers() {
    }

    /** The answer to a send: delivered with its event id, or how it failed. */
    static Delivery sent(int status, HttpHeaders headers, String body, Instant now) {
        Optional<JsonNode> json = Answers.jsonObject(body);
        if (status == 200) {
            return Delivery.delivered(json.map(j -> j.path("event_id").asText("")).filter(e -> !e.isEmpty())
                    .map(e -> "event " + e).orElse("HTTP 200 without an event_id"));
        }
        return error(status, headers, json, body, now);
    }

    /** A failed answer of either request, classified. */
    static Delivery error(int status, HttpHeaders headers, Optional<JsonNode> json, String body, Instant now) {
        String detail = json.filter(j -> j.hasNonNull("errcode"))
                .map(j -> j.get("errcode").asText() + (j.path("error").asText("").isEmpty() ? ""
                        : ": " + j.path("error").asText()))
                .orElseGet(() -> Answers.snippet(body));
        Delivery d = Delivery.ofHttpStatus(status, headers.firstValue("Retry-After").orElse(null), detail, now);
        long ms = json.map(j -> j.path("retry_after_ms").asLong(-1)).orElse(-1L);
        if (status == 429 && ms >= 0) {
            Duration fromBody = Duration.ofMillis(ms);
            Duration after = d.retryAfter().filter(h -> h.compareTo(fromBody) > 0).orElse(fromBody);
            return Delivery.retryAfter(after, d.detail());
        }
        return d;
    }
}
