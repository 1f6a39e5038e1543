package org.heartbeat.notify.pushover.internal;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.notify.support.Answers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Pushover's answers, classified as pushover.net/api ("Response Format", "Being Friendly to our API") says:
 * <ul>
 * <li>200 with {@code "status":1}: queued, delivered.</li>
 * <li>4xx, or a {@code status} other than 1: the input was invalid and "repeating your same request will not
 * work": failed, with Pushover's {@code errors} text.</li>
 * <li>429: the application's monthly message limit is reached; it resets at {@code X-Limit-App-Reset} (a Unix
 * time), so retry after then.</li>
 * <li>5xx and anything else: Pushover's temporary trouble; retry, "but no sooner than 5 seconds".</li>
 * </ul>
 */
final class PushoverAnswers {
    static final Duration MIN_RETRY = Duration.ofSeconds(5);

    private PushoverAnswers() {
    }

    static Delivery classify(int status, HttpHeaders headers, String body, Instant now) {
        Optional<JsonNode> json = Answers.jsonObject(body);
        if (status == 200) {
            if (json.map(j -> j.path("status").asInt(0) == 1).orElse(false)) {
                JsonNode j = json.get();
                String receipt = j.path("receipt").asText("");
                return Delivery.delivered("request " + j.path("request").asText("?")
                        + (receipt.isEmpty() ? "" : ", receipt " + receipt));
            }
            return Delivery.failed("HTTP 200 without status 1: " + errors(json, body));
        }
        if (status == 429) {
            String text = "HTTP 429: the application's monthly message limit is reached";
            Optional<Instant> reset = headers.firstValue("X-Limit-App-Reset").flatMap(PushoverAnswers::epochSeconds);
            return reset.map(r -> Delivery.retryAfter(max(Duration.between(now, r), Duration.ZERO),
                    text + "; it resets at " + r)).orElseGet(() -> Delivery.retry(text));
        }
        if (status >= 400 && status < 500) {
            return Delivery.ofHttpStatus(status, headers.firstValue("Retry-After").orElse(null), errors(json, body), now);
        }
        Duration after = Delivery.parseRetryAfter(headers.firstValue("Retry-After").orElse(null), now)
                .orElse(Duration.ZERO);
        return Delivery.retryAfter(max(after, MIN_RETRY),
                "HTTP " + status + ": Pushover has temporary trouble" + snippetSuffix(json, body));
    }

    /** Pushover's {@code errors} array joined, or the start of the body when it is not Pushover's JSON. */
    private static String errors(Optional<JsonNode> json, String body) {
        List<String> errors = new ArrayList<>();
        json.map(j -> j.path("errors")).filter(JsonNode::isArray).ifPresent(a -> a.forEach(e -> errors.add(e.asText())));
        if (!errors.isEmpty()) {
            return String.join("; ", errors);
        }
        return Answers.snippet(body);
    }

    private static String snippetSuffix(Optional<JsonNode> json, String body) {
        String s = errors(json, body);
        return s.isEmpty() ? "" : " (" + s + ")";
    }

    private static Optional<Instant> epochSeconds(String value) {
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(value.trim())));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
