package org.heartbeat.notify.pushover.internal;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.NotificationChannel;
import org.heartbeat.notify.support.HttpSender;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
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
 *
 * Every key but {@code max_per_hour} arrives as a private configuration property ({@code .token}, ...), so no
 * secret becomes a service property; see {@link NotificationChannel}.
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
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @ObjectClassDefinition(name = "Heartbeat Pushover channel",
            description = "Push notifications through Pushover (pushover.net).")
    @interface Config {
        @AttributeDefinition(type = AttributeType.PASSWORD,
                description = "The application's API token (30 letters and digits).")
        String _token();

        @AttributeDefinition(type = AttributeType.PASSWORD,
                description = "The user or group key to notify (30 letters and digits; several joined with commas).")
        String _user();

        @AttributeDefinition(required = false, min = "-2", max = "2",
                description = "Priority of CRITICAL and WARNING notifications, -2 to 2 (2: emergency, repeated until"
                        + " acknowledged); OK and INFO go at this or 0, whichever is lower.")
        int _priority() default 0;

        @AttributeDefinition(required = false, min = "30",
                description = "Emergency priority: seconds between repeats, at least 30.")
        int _retry() default 60;

        @AttributeDefinition(required = false, min = "1", max = "10800",
                description = "Emergency priority: seconds to keep repeating, at most 10800.")
        int _expire() default 3600;

        @AttributeDefinition(required = false, description = "A Pushover sound name; the user's default if absent.")
        String _sound();

        @AttributeDefinition(required = false, description = "Device name(s) to send to; all devices if absent.")
        String _device();

        @AttributeDefinition(required = false, description = "Base URL of the Pushover API.")
        String _api__url() default DEFAULT_API_URL;

        @AttributeDefinition(required = false, min = "0",
                description = "At most this many notifications per hour (0: no cap); hbd enforces it.")
        int max__per__hour() default DEFAULT_MAX_PER_HOUR;
    }

    private final PushoverSettings settings;
    private final HttpSender http;

    /** @throws IllegalArgumentException naming the key, when the configuration is wrong */
    @Activate
    public PushoverChannel(Config config, Map<String, Object> properties) {
        this.settings = PushoverSettings.from(config);
        this.http = new HttpSender(HttpSender.threadPrefix(TYPE, properties), "Pushover", Clock.systemUTC(),
                settings.secrets());
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
        return http.send(request, PushoverAnswers::classify);
    }

    /** Stops the channel's HTTP threads: a removed or reconfigured channel leaves none behind. */
    @Deactivate
    void deactivate() {
        http.close();
    }

    @Override
    public String toString() {
        return "PushoverChannel[" + settings + "]";
    }
}
