package org.heartbeat.notify.mattermost.internal;

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
 * Notification channel {@code mattermost}: each notification is one post through a Mattermost incoming webhook
 * ({@code POST} of JSON to {@code https://<server>/hooks/<key>}). {@link MattermostMessage} says what is posted and
 * how severities show, {@link MattermostAnswers} how answers are classified.
 *
 * <pre>
 * notification_channels:
 *   ops_chat:
 *     type: mattermost
 *     url: https://chat.example.org/hooks/xxx-generatedkey-xxx
 *     channel: ops-alerts
 * </pre>
 *
 * Every key but {@code max_per_hour} arrives as a private configuration property ({@code .url}, ...), so the
 * webhook URL, a secret, is no service property; see {@link NotificationChannel}.
 */
@Component(configurationPid = NotificationChannel.CONFIG_PID_PREFIX + MattermostChannel.TYPE,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {NotificationChannel.TYPE + "=" + MattermostChannel.TYPE,
                NotificationChannel.MAX_PER_HOUR + ":Integer=" + MattermostChannel.DEFAULT_MAX_PER_HOUR})
@Designate(ocd = MattermostChannel.Config.class, factory = true)
public final class MattermostChannel implements NotificationChannel {
    static final String TYPE = "mattermost";
    static final int DEFAULT_MAX_PER_HOUR = 60;
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @ObjectClassDefinition(name = "Heartbeat Mattermost channel",
            description = "Posts to a Mattermost channel through an incoming webhook.")
    @interface Config {
        @AttributeDefinition(type = AttributeType.PASSWORD,
                description = "The incoming webhook's URL, https://<server>/hooks/<key>; whoever has it can post.")
        String _url();

        @AttributeDefinition(required = false,
                description = "Channel to post in instead of the webhook's own: its name (town-square) or @username.")
        String _channel();

        @AttributeDefinition(required = false, description = "Name to post as (if the server allows overrides).")
        String _username();

        @AttributeDefinition(required = false, description = "Picture to post with (if the server allows overrides).")
        String _icon__url();

        @AttributeDefinition(required = false, min = "0",
                description = "At most this many notifications per hour (0: no cap); hbd enforces it.")
        int max__per__hour() default DEFAULT_MAX_PER_HOUR;
    }

    private final MattermostSettings settings;
    private final HttpSender http;

    /** @throws IllegalArgumentException naming the key, when the configuration is wrong */
    @Activate
    public MattermostChannel(Config config, Map<String, Object> properties) {
        this.settings = MattermostSettings.from(config);
        this.http = new HttpSender(HttpSender.threadPrefix(TYPE, properties), "Mattermost", Clock.systemUTC(),
                settings.secrets());
    }

    @Override
    public Delivery send(Notification notification) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(settings.url())
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MattermostMessage.json(settings, notification)))
                .build();
        return http.send(request, MattermostAnswers::classify);
    }

    /** Stops the channel's HTTP threads: a removed or reconfigured channel leaves none behind. */
    @Deactivate
    void deactivate() {
        http.close();
    }

    @Override
    public String toString() {
        return "MattermostChannel[" + settings + "]";
    }
}
