package org.heartbeat.notify.voipms.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.NotificationChannel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Notification channel {@code voipms}: each notification is one SMS to each destination through the VoIP.ms REST
 * API ({@code GET rest.php?api_username=...&api_password=...&method=sendSMS&did=...&dst=...&message=...}). The
 * text is {@link Notification#text(int)} cut to 160 characters and, further, to 160 bytes of UTF-8.
 *
 * <p>The password travels in the query, as VoIP.ms requires; so no request URI ever goes into a detail, an
 * exception or a log line: transport errors are reported by their type and a scrubbed message, and every detail
 * is searched for the password before it leaves.
 *
 * <p>Several destinations: one request each. The channel remembers, per notification id, which destinations took
 * the SMS or refused it for good, so a retry by hbd sends only to those that had a passing problem and nobody gets
 * the same SMS twice. The outcome: delivered when every destination took it; retry while any destination had a
 * passing problem (the detail names it, and who already has the SMS); failed when none is left to retry and at
 * least one refused for good (the detail names those, and who got the SMS). {@link VoipmsStatus} classifies
 * VoIP.ms's statuses.
 *
 * <pre>
 * notification_channels:
 *   sms_oncall:
 *     type: voipms
 *     api_username: ops@example.org
 *     api_password: An-API-Password
 *     did: 5551234567
 *     destination: [5559876543, 5557654321]
 * </pre>
 */
@Component(configurationPid = NotificationChannel.CONFIG_PID_PREFIX + VoipmsChannel.TYPE,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {NotificationChannel.TYPE + "=" + VoipmsChannel.TYPE,
                NotificationChannel.MAX_PER_HOUR + ":Integer=" + VoipmsChannel.DEFAULT_MAX_PER_HOUR})
@Designate(ocd = VoipmsChannel.Config.class, factory = true)
public final class VoipmsChannel implements NotificationChannel {
    static final String TYPE = "voipms";
    static final String DEFAULT_API_URL = "https://voip.ms/api/v1/rest.php";
    /** Every SMS costs money. */
    static final int DEFAULT_MAX_PER_HOUR = 10;
    /** VoIP.ms's limit; integrators report that it counts UTF-8 bytes (sms_toolong at 161 bytes). */
    static final int MAX_BYTES = 160;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** All destinations of one send together, to stay under NotificationChannel.TIMEOUT_SECONDS. */
    static final Duration BUDGET = Duration.ofSeconds(25);
    private static final Duration MIN_TRY = Duration.ofSeconds(2);
    private static final int REMEMBERED = 256;
    private static final int SNIPPET = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    @ObjectClassDefinition(name = "Heartbeat VoIP.ms SMS channel", description = "SMS through the VoIP.ms REST API.")
    @interface Config {
        @AttributeDefinition(description = "The e-mail address you log in to voip.ms with.")
        String api__username();

        @AttributeDefinition(type = AttributeType.PASSWORD,
                description = "The API password set under SOAP and REST/JSON API in the VoIP.ms portal.")
        String api__password();

        @AttributeDefinition(description = "Your SMS-enabled VoIP.ms number that sends, digits only.")
        String did();

        @AttributeDefinition(description = "Number(s) to send to, digits only; one SMS each.")
        String[] destination();

        @AttributeDefinition(required = false, description = "The VoIP.ms REST API's URL.")
        String api__url() default DEFAULT_API_URL;

        @AttributeDefinition(required = false, min = "0",
                description = "At most this many notifications per hour (0: no cap); hbd enforces it.")
        int max__per__hour() default DEFAULT_MAX_PER_HOUR;
    }

    /** How sending to one destination went. */
    private record Attempt(Delivery.Outcome outcome, String text, Duration retryAfter) {
    }

    private final VoipmsSettings settings;
    private final HttpClient http;
    /** Per notification id, the destinations done with (sent, or refused for good), most recently used last. */
    private final Map<String, Map<String, Attempt>> progress = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Map<String, Attempt>> eldest) {
                    return size() > REMEMBERED;
                }
            });

    /** @throws IllegalArgumentException naming the key, when the configuration is wrong */
    @Activate
    public VoipmsChannel(Config config) {
        this.settings = VoipmsSettings.from(config);
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Delivery send(Notification notification) throws InterruptedException {
        String text = text(notification);
        Map<String, Attempt> done = progress.computeIfAbsent(notification.id(), id -> new LinkedHashMap<>());
        Map<String, Attempt> pending = new LinkedHashMap<>();
        long deadline = System.nanoTime() + BUDGET.toNanos();
        for (String dst : settings.destinations()) {
            if (done.containsKey(dst)) {
                continue;
            }
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.compareTo(MIN_TRY) < 0) {
                pending.put(dst, new Attempt(Delivery.Outcome.RETRY, "not tried, the time for one send is used up",
                        null));
                continue;
            }
            Attempt a = sendOne(dst, text, left.compareTo(TIMEOUT) < 0 ? left : TIMEOUT);
            (a.outcome() == Delivery.Outcome.RETRY ? pending : done).put(dst, a);
        }
        Delivery d = outcome(done, pending);
        if (d.outcome() != Delivery.Outcome.RETRY) {
            progress.remove(notification.id());
        }
        return d.redact(settings.secrets());
    }

    /** {@link Notification#text(int)} at 160 characters, and shorter until it fits 160 bytes of UTF-8. */
    static String text(Notification n) {
        for (int max = MAX_BYTES;; max--) {
            String s = n.text(max);
            if (s.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
                return s;
            }
        }
    }

    private Attempt sendOne(String dst, String text, Duration timeout) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(dst, text)).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return classify(r.statusCode(), r.headers().firstValue("Retry-After").orElse(null), r.body());
        } catch (HttpTimeoutException e) {
            return new Attempt(Delivery.Outcome.RETRY, "no answer within " + timeout.toSeconds() + " s", null);
        } catch (IOException e) {
            return new Attempt(Delivery.Outcome.RETRY, "cannot reach VoIP.ms: " + describe(e), null);
        }
    }

    /** The request URI: it holds the password, so it is used for the request and nowhere else. */
    private URI uri(String dst, String text) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("api_username", settings.username());
        q.put("api_password", settings.password());
        q.put("method", "sendSMS");
        q.put("did", settings.did());
        q.put("dst", dst);
        q.put("message", text);
        StringBuilder s = new StringBuilder(settings.apiUrl().toString()).append('?');
        q.forEach((k, v) -> s.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        s.setLength(s.length() - 1);
        return URI.create(s.toString());
    }

    private static Attempt classify(int status, String retryAfter, String body) {
        if (status >= 200 && status < 300) {
            JsonNode json = parse(body);
            if (json == null || !json.path("status").isTextual()) {
                return new Attempt(Delivery.Outcome.RETRY, "HTTP " + status + " without VoIP.ms's JSON: "
                        + snippet(body), null);
            }
            String s = json.path("status").asText();
            if (s.equals("success")) {
                return new Attempt(Delivery.Outcome.DELIVERED, "sms " + json.path("sms").asText("?"), null);
            }
            return new Attempt(VoipmsStatus.of(s) == VoipmsStatus.PERMANENT ? Delivery.Outcome.FAILED
                    : Delivery.Outcome.RETRY, VoipmsStatus.describe(s), null);
        }
        Delivery d = Delivery.ofHttpStatus(status, retryAfter, snippet(body), Instant.now());
        return new Attempt(d.outcome(), d.detail(), d.retryAfter().orElse(null));
    }

    /** One delivery for all destinations; see the class comment. */
    private static Delivery outcome(Map<String, Attempt> done, Map<String, Attempt> pending) {
        List<String> sent = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        done.forEach((dst, a) -> (a.outcome() == Delivery.Outcome.DELIVERED ? sent : refused)
                .add(a.outcome() == Delivery.Outcome.DELIVERED ? dst + " (" + a.text() + ")" : dst + ": " + a.text()));
        if (!pending.isEmpty()) {
            List<String> parts = new ArrayList<>();
            Duration wait = null;
            for (Map.Entry<String, Attempt> e : pending.entrySet()) {
                parts.add(e.getKey() + ": " + e.getValue().text());
                Duration after = e.getValue().retryAfter();
                if (after != null && (wait == null || after.compareTo(wait) > 0)) {
                    wait = after;
                }
            }
            String detail = String.join("; ", parts) + (refused.isEmpty() ? "" : "; refused for good: "
                    + String.join("; ", refused)) + (sent.isEmpty() ? "" : "; already sent to " + String.join(", ", sent));
            return wait == null ? Delivery.retry(detail) : Delivery.retryAfter(wait, detail);
        }
        if (refused.isEmpty()) {
            return Delivery.delivered("sent to " + String.join(", ", sent));
        }
        return Delivery.failed(String.join("; ", refused) + (sent.isEmpty() ? "" : "; sent to "
                + String.join(", ", sent)));
    }

    /** An exception by its type and message, without anything that could hold the query. */
    private String describe(IOException e) {
        String message = e.getMessage();
        if (message == null || message.contains("api_password") || message.contains("?")) {
            return e.getClass().getName();
        }
        return e.getClass().getName() + ": " + message;
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String snippet(String body) {
        String s = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return s.length() <= SNIPPET ? s : s.substring(0, SNIPPET) + "\u2026";
    }


    @Override
    public String toString() {
        return "VoipmsChannel[" + settings + "]";
    }
}
