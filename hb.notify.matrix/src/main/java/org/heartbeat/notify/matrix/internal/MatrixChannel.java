package org.heartbeat.notify.matrix.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
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
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Notification channel {@code matrix}: each notification is one {@code m.room.message} in a Matrix room, sent with
 * {@code PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}} and a bearer token. A room alias is
 * resolved once with {@code GET /_matrix/client/v3/directory/room/{alias}} and the room id kept until a send to it
 * fails. {@link MatrixMessage} says what is sent, {@link MatrixAnswers} how answers are classified.
 *
 * <pre>
 * notification_channels:
 *   ops_room:
 *     type: matrix
 *     homeserver: https://matrix.example.org
 *     access_token: syt_aGVhcnRiZWF0_bNvZXcHXJUYoUEmnVcPq_1hPRdw
 *     room: "#ops:example.org"
 * </pre>
 *
 * Every key but {@code max_per_hour} arrives as a private configuration property ({@code .access_token}, ...), so
 * the access token is no service property; see {@link NotificationChannel}.
 */
@Component(configurationPid = NotificationChannel.CONFIG_PID_PREFIX + MatrixChannel.TYPE,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {NotificationChannel.TYPE + "=" + MatrixChannel.TYPE,
                NotificationChannel.MAX_PER_HOUR + ":Integer=" + MatrixChannel.DEFAULT_MAX_PER_HOUR})
@Designate(ocd = MatrixChannel.Config.class, factory = true)
public final class MatrixChannel implements NotificationChannel {
    static final String TYPE = "matrix";
    static final int DEFAULT_MAX_PER_HOUR = 60;
    /** Per request; an alias lookup and a send together stay under NotificationChannel.TIMEOUT_SECONDS. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String API = "/_matrix/client/v3";

    @ObjectClassDefinition(name = "Heartbeat Matrix channel",
            description = "Messages to a Matrix room through the client-server API.")
    @interface Config {
        @AttributeDefinition(description = "Base URL of the homeserver, e.g. https://matrix.example.org.")
        String _homeserver();

        @AttributeDefinition(type = AttributeType.PASSWORD,
                description = "Access token of the account that posts; it must have joined the room.")
        String _access__token();

        @AttributeDefinition(description = "Room id (!abc:example.org) or alias (#ops:example.org).")
        String _room();

        @AttributeDefinition(required = false, min = "0",
                description = "At most this many notifications per hour (0: no cap); hbd enforces it.")
        int max__per__hour() default DEFAULT_MAX_PER_HOUR;
    }

    private final MatrixSettings settings;
    private final Clock clock = Clock.systemUTC();
    private final HttpSender http;
    /** The room id an alias resolved to; null until resolved, and again after a send to it failed. */
    private volatile String resolvedRoomId;

    /** @throws IllegalArgumentException naming the key, when the configuration is wrong */
    @Activate
    public MatrixChannel(Config config, Map<String, Object> properties) {
        this.settings = MatrixSettings.from(config);
        this.http = new HttpSender(HttpSender.threadPrefix(TYPE, properties), "the homeserver", clock,
                settings.accessToken());
    }

    @Override
    public Delivery send(Notification notification) throws InterruptedException {
        return http.redact(sendOrResolve(notification));
    }

    /** Stops the channel's HTTP threads: a removed or reconfigured channel leaves none behind. */
    @Deactivate
    void deactivate() {
        http.close();
    }

    private Delivery sendOrResolve(Notification n) throws InterruptedException {
        String roomId = settings.roomIsAlias() ? resolvedRoomId : settings.room();
        if (roomId == null) {
            Resolved r = resolve();
            if (r.failure != null) {
                return r.failure;
            }
            roomId = r.roomId;
            resolvedRoomId = roomId;
        }
        URI uri = URI.create(settings.homeserver() + API + "/rooms/" + MatrixMessage.segment(roomId)
                + "/send/m.room.message/" + MatrixMessage.segment(MatrixMessage.transactionId(n.id(), roomId)));
        HttpRequest request = authorised(uri).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(MatrixMessage.json(n))).build();
        Delivery d = http.send(request, MatrixAnswers::sent);
        if (d.outcome() == Delivery.Outcome.FAILED && settings.roomIsAlias()) {
            resolvedRoomId = null; // the alias may point elsewhere by now: look it up again next time
        }
        return d;
    }

    private record Resolved(String roomId, Delivery failure) {
    }

    private Resolved resolve() throws InterruptedException {
        String alias = settings.room();
        URI uri = URI.create(settings.homeserver() + API + "/directory/room/" + MatrixMessage.segment(alias));
        String what = "resolving " + alias + ": ";
        try {
            HttpResponse<String> r = http.exchange(authorised(uri).GET().build());
            Optional<JsonNode> json = Answers.jsonObject(r.body());
            String roomId = json.map(j -> j.path("room_id").asText("")).orElse("");
            if (r.statusCode() == 200 && roomId.startsWith("!")) {
                return new Resolved(roomId, null);
            }
            Delivery d = r.statusCode() == 200
                    ? Delivery.retry("HTTP 200 without a room_id")
                    : MatrixAnswers.error(r.statusCode(), r.headers(), json, r.body(), clock.instant());
            return new Resolved(null, prefixed(what, d));
        } catch (HttpTimeoutException e) {
            return new Resolved(null,
                    Delivery.retry(what + "the homeserver did not answer within " + TIMEOUT.toSeconds() + " s"));
        } catch (IOException e) {
            return new Resolved(null, Delivery.retry(what + "cannot reach the homeserver: " + HttpSender.describe(e)));
        }
    }

    private HttpRequest.Builder authorised(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + settings.accessToken());
    }

    /** The delivery with {@code prefix} (which step failed) before its detail: the same outcome and delay. */
    private static Delivery prefixed(String prefix, Delivery d) {
        String detail = prefix + d.detail();
        return switch (d.outcome()) {
            case DELIVERED -> Delivery.delivered(detail);
            case FAILED -> Delivery.failed(detail);
            case RETRY -> d.retryAfter().map(a -> Delivery.retryAfter(a, detail)).orElseGet(() -> Delivery.retry(detail));
        };
    }

    @Override
    public String toString() {
        return "MatrixChannel[" + settings + "]";
    }
}
