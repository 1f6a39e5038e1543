package org.heartbeat.notify.mattermost.internal;

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
 */
@Component(configurationPid = NotificationChannel.CONFIG_PID_PREFIX + MattermostChannel.TYPE,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {NotificationChannel.TYPE + "=" + MattermostChannel.TYPE,
                NotificationChannel.MAX_PER_HOUR + ":Integer=" + MattermostChannel.DEFAULT_MAX_PER_HOUR})
@Designate(ocd = MattermostChannel.Config.class, factory = true)
public final class MattermostChannel implements NotificationChannel {
    static final String TYPE = "mattermost";
    static final int DEFAULT_MAX_PER_HOUR = 60;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @ObjectClassDefinition(name = "Heartbeat Mattermost channel",
            description = "Posts to a Mattermost channel through an incoming webhook.")
    @interface Config {
        @AttributeDefinition(type = AttributeType.PASSWORD,
                description = "The incoming webhook's URL, https://<server>/hooks/<key>; whoever has it can post.")
        String url();

        @AttributeDefinition(required = false,
                description = "Channel to post in instead of the webhook's own: its name (town-square) or @username.")
        String channel();

        @AttributeDefinition(required = false, description = "Name to post as (if the server allows overrides).")
        String username();

        @AttributeDefinition(required = false, description = "Picture to post with (if the server allows overrides).")
        String icon__url();

        @AttributeDefinition(required = false, min = "0",
                description = "At most this many notifications per hour (0: no cap); hbd enforces it.")
        int max__per__hour() default DEFAULT_MAX_PER_HOUR;
    }

    private final MattermostSettings settings;
    private final HttpClient http;

    /** @throws IllegalArgumentException naming the key, when the configuration is wrong */
    @Activate
    public MattermostChannel(Config config) {
        this.settings = MattermostSettings.from(config);
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Delivery send(Notification notification) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(settings.url())
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MattermostMessage.json(settings, notification)))
                .build();
        Delivery d;
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            d = MattermostAnswers.classify(r.statusCode(), r.headers(), r.body(), Instant.now());
        } catch (HttpTimeoutException e) {
            d = Delivery.retry("Mattermost did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            d = Delivery.retry("cannot reach Mattermost: " + e);
        }
        return d.redact(settings.secrets());
    }


    @Override
    public String toString() {
        return "MattermostChannel[" + settings + "]";
    }
}
