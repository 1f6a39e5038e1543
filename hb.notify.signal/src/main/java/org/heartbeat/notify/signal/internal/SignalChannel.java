package org.heartbeat.notify.signal.internal;

import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

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
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Notification channel {@code signal}: each notification is one Signal message, sent through a
 * <a href="https://github.com/bbernhard/signal-cli-rest-api">signal-cli REST API</a> with {@code POST /v2/send}
 * and {@code {"message", "number", "recipients"}}. The message is {@link Notification#text()}; Signal has no
 * priorities or colours, so the title says what happened.
 *
 * <p>Answers, as the REST API's {@code SendV2} handler writes them: 201 (or 200) with {@code {"timestamp"}} is
 * delivered; 400 with {@code {"error"}} (an unregistered recipient, an unknown group, an unregistered sender) is
 * failed; 429 (Signal's rate limit, which wants a captcha challenge) and 5xx are retried; other 4xx fail. The REST
 * API retries nothing itself and sets no send limit: both come from hbd.
 *
 * <pre>
 * notification_channels:
 *   signal_oncall:
 *     type: signal
 *     url: http://127.0.0.1:8080
 *     number: "+4915112345678"
 *     recipients: ["+4917612345678", "+4915798765432"]
 * </pre>
 *
 * Every key but {@code max_per_hour} arrives as a private configuration property ({@code .number}, ...): phone
 * numbers are personal data and stay off the service; see {@link NotificationChannel}.
 */
@Component(configurationPid = NotificationChannel.CONFIG_PID_PREFIX + SignalChannel.TYPE,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {NotificationChannel.TYPE + "=" + SignalChannel.TYPE,
                NotificationChannel.MAX_PER_HOUR + ":Integer=" + SignalChannel.DEFAULT_MAX_PER_HOUR})
@Designate(ocd = SignalChannel.Config.class, factory = true)
public final class SignalChannel implements NotificationChannel {
    static final String TYPE = "signal";
    /** Half the other chats': Signal rate-limits busy senders with a captcha that no unattended sender solves. */
    static final int DEFAULT_MAX_PER_HOUR = 30;
    /** signal-cli talks to Signal's servers before it answers, so allow it more than a plain API. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ObjectClassDefinition(name = "Heartbeat Signal channel",
            description = "Signal messages through the signal-cli REST API (bbernhard/signal-cli-rest-api).")
    @interface Config {
        @AttributeDefinition(description = "Base URL of the signal-cli REST API, e.g. http://127.0.0.1:8080.")
        String _url();

        @AttributeDefinition(description = "The sender: a number registered with the REST API, e.g. +4915112345678.")
        String _number();

        @AttributeDefinition(description = "Phone numbers to send to, or one group id (group.xxxx).")
        String[] _recipients();

        @AttributeDefinition(required = false, min = "0",
                description = "At most this many notifications per hour (0: no cap); hbd enforces it.")
        int max__per__hour() default DEFAULT_MAX_PER_HOUR;
    }

    private final SignalSettings settings;
    private final HttpSender http;

    /** @throws IllegalArgumentException naming the key, when the configuration is wrong */
    @Activate
    public SignalChannel(Config config, Map<String, Object> properties) {
        this.settings = SignalSettings.from(config);
        this.http = new HttpSender(HttpSender.threadPrefix(TYPE, properties), "the signal-cli REST API",
                Clock.systemUTC());
    }

    @Override
    public Delivery send(Notification notification) throws InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("message", notification.text());
        body.put("number", settings.number());
        settings.recipients().forEach(body.putArray("recipients")::add);
        HttpRequest request = HttpRequest.newBuilder(settings.sendUri())
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        return http.send(request, SignalChannel::classify);
    }

    /** Stops the channel's HTTP threads: a removed or reconfigured channel leaves none behind. */
    @Deactivate
    void deactivate() {
        http.close();
    }

    static Delivery classify(int status, HttpHeaders headers, String body, Instant now) {
        String retryAfter = headers.firstValue("Retry-After").orElse(null);
        Optional<JsonNode> json = Answers.jsonObject(body);
        if (status == 200 || status == 201) {
            return Delivery.delivered(json.map(j -> j.path("timestamp").asText("")).filter(t -> !t.isEmpty())
                    .map(t -> "timestamp " + t).orElse("HTTP " + status));
        }
        String detail = Answers.snippet(json.map(j -> j.path("error").asText("")).filter(e -> !e.isBlank()).orElse(body));
        return Delivery.ofHttpStatus(status, retryAfter, detail, now);
    }

    @Override
    public String toString() {
        return "SignalChannel[" + settings.sendUri() + ", " + settings.recipients().size() + " recipient(s)]";
    }
}
