package org.heartbeat.notify.voipms.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
import org.heartbeat.notify.support.Answers;
import org.heartbeat.notify.support.HttpSender;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Notification channel {@code voipms}: each notification is one SMS to each destination through the VoIP.ms REST
 * API ({@code GET rest.php?api_username=...&api_password=...&method=sendSMS&did=...&dst=...&message=...}). The
 * text is {@link Notification#text(int)} cut to 160 bytes of UTF-8, with an ellipsis when cut.
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
 *
 * Every key but {@code max_per_hour} arrives as a private configuration property ({@code .api_password}, ...), so
 * the password is no service property; see {@link NotificationChannel}.
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
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** All destinations of one send together, to stay under NotificationChannel.TIMEOUT_SECONDS. */
    static final Duration BUDGET = Duration.ofSeconds(25);
    private static final Duration MIN_TRY = Duration.ofSeconds(2);
    private static final int REMEMBERED = 256;

    @ObjectClassDefinition(name = "Heartbeat VoIP.ms SMS channel", description = "SMS through the VoIP.ms REST API.")
    @interface Config {
        @AttributeDefinition(description = "The e-mail address you log in to voip.ms with.")
        String _api__username();

        @AttributeDefinition(type = AttributeType.PASSWORD,
                description = "The API password set under SOAP and REST/JSON API in the VoIP.ms portal.")
        String _api__password();

        @AttributeDefinition(description = "Your SMS-enabled VoIP.ms number that sends, digits only.")
        String _did();

        @AttributeDefinition(description = "Number(s) to send to, digits only; one SMS each.")
        String[] _destination();

        @AttributeDefinition(required = false, description = "The VoIP.ms REST API's URL.")
        String _api__url() default DEFAULT_API_URL;

        @AttributeDefinition(required = false, min = "0",
                description = "At most this many notifications per hour (0: no cap); hbd enforces it.")
        int max__per__hour() default DEFAULT_MAX_PER_HOUR;
    }

    /** How sending to one destination went. */
    private record Attempt(Delivery.Outcome outcome, String text, Duration retryAfter) {
    }

    private final VoipmsSettings settings;
    private final HttpSender http;
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
    public VoipmsChannel(Config config, Map<String, Object> properties) {
        this.settings = VoipmsSettings.from(config);
        this.http = new HttpSender(HttpSender.threadPrefix(TYPE, properties), "VoIP.ms", Clock.systemUTC(),
                settings.secrets());
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
        return http.redact(d);
    }

    /** Stops the channel's HTTP threads: a removed or reconfigured channel leaves none behind. */
    @Deactivate
    void deactivate() {
        http.close();
    }

    /** {@link Notification#text(int)} at 160 bytes of UTF-8, the SMS limit. */
    static String text(Notification n) {
        return n.text(MAX_BYTES);
    }

    private Attempt sendOne(String dst, String text, Duration timeout) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(dst, text)).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        Delivery d = http.send(request, VoipmsChannel::classify);
        return new Attempt(d.outcome(), d.detail(), d.retryAfter().orElse(null));
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

    /** One destination's answer: VoIP.ms reports its errors inside a 200, in {@code status}. */
    static Delivery classify(int status, HttpHeaders headers, String body, Instant now) {
        if (status >= 200 && status < 300) {
            JsonNode json = Answers.jsonObject(body).orElse(null);
            if (json == null || !json.path("status").isTextual()) {
                return Delivery.retry("HTTP " + status + " without VoIP.ms's JSON: " + Answers.snippet(body));
            }
            String s = json.path("status").asText();
            if (s.equals("success")) {
                return Delivery.delivered("sms " + json.path("sms").asText("?"));
            }
            return VoipmsStatus.of(s) == VoipmsStatus.PERMANENT ? Delivery.failed(VoipmsStatus.describe(s))
                    : Delivery.retry(VoipmsStatus.describe(s));
        }
        return Delivery.ofHttpStatus(status, headers.firstValue("Retry-After").orElse(null), Answers.snippet(body),
                now);
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

    @Override
    public String toString() {
        return "VoipmsChannel[" + settings + "]";
    }
}
