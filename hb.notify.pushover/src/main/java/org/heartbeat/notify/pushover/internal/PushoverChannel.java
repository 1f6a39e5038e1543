package org.heartbeat.notify.pushover.internal;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;

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

/**
 * Notification channel {@code pushover}: each notification is one push message through Pushover's message API
 * ({@code POST /1/messages.json}, pushover.net/api). {@link PushoverMessage} says what is sent and how severities
 * map onto Pushover priorities, {@link PushoverAnswers} how answers are classified.
 *
 * <pre>
 * notification_channels:
 *   phone:
 *     type: pushover
 *     token: azGDORePK8gMaC0QOYAMyEEuzJnyUi
 *     user: uQiRzpo4DXghDmr9QzzfQu27cmVRsG
 *     priority: 1
 * </pre>
 */
@Component(configurationPid = NotificationChannel.CONFIG_PID_PREFIX + PushoverChannel.TYPE,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {NotificationChannel.TYPE + "=" + PushoverChannel.TYPE,
                NotificationChannel.MAX_PER_HOUR + ":Integer=" + PushoverChannel.DEFAULT_MAX_PER_HOUR})
@Designate(ocd = PushoverChannel.Config.class, factory = true)
public final class PushoverChannel implements NotificationChannel {
    static final String TYPE = "pushover";
    static final String DEFAULT_API_URL = "https://api.pushover.net";
    /** Free applications may send 10,000 messages a month, about 13 an hour. */
    static final int DEFAULT_MAX_PER_HOUR = 20;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @ObjectClassDefinition(name = "Heartbeat Pushover channel",
            description = "Push notifications through Pushover (pushover.net).")
    @interface Config {
        @AttributeDefinition(type = AttributeType.PASSWORD,
                description = "The application's API token (30 letters and digits).")
        String token();

        @AttributeDefinition(type = AttributeType.PASSWORD,
                description = "The user or group key to notify (30 letters and digits; several joined with commas).")
        String user();

        @AttributeDefinition(required = false, min = "-2", max = "2",
                description = "Priority of CRITICAL and WARNING notifications, -2 to 2 (2: emergency, repeated until"
                        + " acknowledged); OK and INFO go at this or 0, whichever is lower.")
        int priority() default 0;

        @AttributeDefinition(required = false, min = "30",
                description = "Emergency priority: seconds between repeats, at least 30.")
        int retry() default 60;

        @AttributeDefinition(required = false, min = "1", max = "10800",
                description = "Emergency priority: seconds to keep repeating, at most 10800.")
        int expire() default 3600;

        @AttributeDefinition(required = false, description = "A Pushover sound name; the user's default if absent.")
        String sound();

        @AttributeDefinition(required = false, description = "Device name(s) to send to; all devices if absent.")
        String device();

        @AttributeDefinition(required = false, description = "Base URL of the Pushover API.")
        String api__url() default DEFAULT_API_URL;

        @AttributeDefinition(required = false, min = "0",
                description = "At most this many notifications per hour (0: no cap); hbd enforces it.")
        int max__per__hour() default DEFAULT_MAX_PER_HOUR;
    }

    private final PushoverSettings settings;
    private final HttpClient http;

    /** @throws IllegalArgumentException naming the key, when the configuration is wrong */
    @Activate
    public PushoverChannel(Config config) {
        this.settings = PushoverSettings.from(config);
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Delivery send(Notification notification) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(settings.messagesUri())
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        PushoverMessage.encode(PushoverMessage.form(settings, notification))))
                .build();
        Delivery d;
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            d = PushoverAnswers.classify(r.statusCode(), r.headers(), r.body(), Instant.now());
        } catch (HttpTimeoutException e) {
            d = Delivery.retry("Pushover did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            d = Delivery.retry("cannot reach Pushover: " + e);
        }
        return d.redact(settings.secrets());
    }


    @Override
    public String toString() {
        return "PushoverChannel[" + settings + "]";
    }
}
