package org.heartbeat.notify.mattermost.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.api.notify.Delivery.Outcome;
import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.NotificationChannel;
import org.heartbeat.api.notify.Severity;
import org.heartbeat.notify.testing.Answer;
import org.heartbeat.notify.testing.ChannelComponent;
import org.heartbeat.notify.testing.ComponentConfig;
import org.heartbeat.notify.testing.Hanging;
import org.heartbeat.notify.testing.RecordedRequest;
import org.heartbeat.notify.testing.Secrets;
import org.heartbeat.notify.testing.TestNotifications;
import org.heartbeat.notify.testing.Threads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

class MattermostChannelTest {
    static final String KEY = "3xzkb5r8tfbmdpw1ce4nmjuxhc";

    private final FakeMattermost mattermost = new FakeMattermost(KEY, Set.of("town-square", "ops-alerts", "@alice"));

    private final List<MattermostChannel> channels = new ArrayList<>();

    @AfterEach
    void stop() {
        channels.forEach(MattermostChannel::deactivate);
        mattermost.close();
    }

    private MattermostChannel open(Map<String, Object> entry) {
        MattermostChannel channel = new MattermostChannel(
                ComponentConfig.ofEntry(MattermostChannel.Config.class, entry), ChannelComponent.configuration(entry));
        channels.add(channel);
        return channel;
    }

    private MattermostChannel channel(Object... keysAndValues) {
        Map<String, Object> p = new HashMap<>(Map.of("url", mattermost.hookUrl()));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return open(p);
    }

    private Delivery send(MattermostChannel channel, Notification n) throws Exception {
        Delivery d = channel.send(n);
        Secrets.assertNoneIn(d, KEY);
        return d;
    }

    @Test
    void postsTheDocumentedJsonWithEveryConfiguredField() throws Exception {
        Delivery d = send(channel("channel", "ops-alerts", "username", "heartbeat", "icon_url",
                "https://hb.example.org/icon.png"), TestNotifications.overdue());

        assertThat(mattermost.problems()).isEmpty();
        assertThat(d.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(d.detail()).isEqualTo("HTTP 200: ok");
        RecordedRequest r = mattermost.onlyRequest();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.rawPath()).isEqualTo("/hooks/" + KEY);
        assertThat(r.mediaType()).isEqualTo("application/json");
        JsonNode j = r.json();
        assertThat(j.size()).isEqualTo(4);
        assertThat(j.path("text").asText()).isEqualTo(":red_circle: **web1 is overdue**\n"
                + TestNotifications.BODY + "\n" + TestNotifications.LINK);
        assertThat(j.path("channel").asText()).isEqualTo("ops-alerts");
        assertThat(j.path("username").asText()).isEqualTo("heartbeat");
        assertThat(j.path("icon_url").asText()).isEqualTo("https://hb.example.org/icon.png");
    }

    @Test
    void withoutOverridesOnlyTheTextIsSent() throws Exception {
        send(channel(), TestNotifications.builder().body("").link(null).build());

        assertThat(mattermost.problems()).isEmpty();
        JsonNode j = mattermost.onlyRequest().json();
        assertThat(j.size()).isEqualTo(1);
        assertThat(j.path("text").asText()).isEqualTo(":red_circle: **web1 is overdue**");
    }

    @ParameterizedTest
    @CsvSource({"CRITICAL, :red_circle:", "WARNING, :warning:", "OK, :white_check_mark:", "INFO, :information_source:",
        "UNKNOWN, :grey_question:"})
    void eachSeverityHasItsEmoji(Severity severity, String emoji) throws Exception {
        send(channel(), TestNotifications.withSeverity(severity));

        assertThat(mattermost.onlyRequest().json().path("text").asText()).startsWith(emoji + " **web1 is overdue**");
    }

    @Test
    void markdownInTitleAndBodyIsEscaped() throws Exception {
        send(channel(), TestNotifications.builder().title("db_1 *prod* is overdue").body("load > 5 [#3]").link(null)
                .build());

        assertThat(mattermost.onlyRequest().json().path("text").asText())
                .isEqualTo(":red_circle: **db\\_1 \\*prod\\* is overdue**\nload \\> 5 \\[\\#3\\]");
    }

    @Test
    void anInvalidWebhookFailsWithMattermostsErrorAndWithoutTheKey() throws Exception {
        MattermostChannel wrong = open(Map.of("url", mattermost.baseUrl() + "/hooks/wrongkey4nmjuxhc3xzkb5r8tf"));

        Delivery d = wrong.send(TestNotifications.overdue());

        Secrets.assertNoneIn(d, KEY, "wrongkey4nmjuxhc3xzkb5r8tf");
        assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(d.detail()).isEqualTo("HTTP 400: web.incoming_webhook.invalid.app_error: Invalid webhook.");
    }

    @Test
    void anUnknownChannelFails() throws Exception {
        Delivery d = send(channel("channel", "no-such-channel"), TestNotifications.overdue());

        assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(d.detail()).isEqualTo("HTTP 404: web.incoming_webhook.channel.app_error: Couldn't find the channel.");
    }

    @ParameterizedTest
    @CsvSource({"401, api.context.session_expired.app_error, Invalid or expired session.",
        "403, web.incoming_webhook.channel_locked.app_error, This webhook is not permitted to post to the channel."})
    void refusalsFail(int status, String id, String message) throws Exception {
        mattermost.enqueue(FakeMattermost.error(status, id, message));

        Delivery d = send(channel(), TestNotifications.overdue());

        assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(d.detail()).isEqualTo("HTTP " + status + ": " + id + ": " + message);
    }

    @Test
    void theRateLimiterIsHonouredWithRetryAfterOrItsResetHeader() throws Exception {
        mattermost.enqueue(FakeMattermost.rateLimited(7, true), FakeMattermost.rateLimited(12, false),
                Answer.text(429, "slow down"));

        Delivery withRetryAfter = send(channel(), TestNotifications.overdue());
        Delivery withReset = send(channel(), TestNotifications.overdue());
        Delivery bare = send(channel(), TestNotifications.overdue());

        assertThat(withRetryAfter.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(withRetryAfter.retryAfter()).hasValue(Duration.ofSeconds(7));
        assertThat(withRetryAfter.detail()).isEqualTo("HTTP 429: limit exceeded");
        assertThat(withReset.retryAfter()).hasValue(Duration.ofSeconds(12));
        assertThat(bare.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(bare.retryAfter()).isEmpty();
    }

    @Test
    void serverErrorsAreRetriedAlsoWhenWebhooksAreTurnedOff() throws Exception {
        mattermost.enqueue(FakeMattermost.error(500, "app.channel.get.find.app_error", "Unable to find the channel."),
                FakeMattermost.error(501, "web.incoming_webhook.disabled.app_error",
                        "Incoming webhooks have been disabled by the system admin."));

        Delivery internal = send(channel(), TestNotifications.overdue());
        Delivery disabled = send(channel(), TestNotifications.overdue());

        assertThat(internal.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(internal.detail()).isEqualTo("HTTP 500: app.channel.get.find.app_error: Unable to find the channel.");
        assertThat(disabled.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(disabled.detail()).contains("web.incoming_webhook.disabled.app_error");
    }

    @Test
    void aProxysHtmlErrorIsShortened() throws Exception {
        mattermost.enqueue(Answer.of(502, "text/html", "<html>\n<body>" + "Bad Gateway ".repeat(40) + "</body></html>"));

        Delivery d = send(channel(), TestNotifications.overdue());

        assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(d.detail()).startsWith("HTTP 502: <html> <body>Bad Gateway").endsWith("\u2026").hasSizeLessThan(220);
    }

    @Test
    void anUnreachableServerIsRetried() throws Exception {
        MattermostChannel channel = channel();
        mattermost.close();

        Delivery d = send(channel, TestNotifications.overdue());

        assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(d.detail()).startsWith("cannot reach Mattermost: java.net.ConnectException");
    }

    @Test
    void aServerThatNeverAnswersEndsWithinTheClientTimeout() throws Exception {
        mattermost.enqueue(Answer.hang());
        long start = System.nanoTime();

        Delivery d = send(channel(), TestNotifications.overdue());

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(d.detail()).isEqualTo("Mattermost did not answer within 10 s");
        assertThat(took).isBetween(MattermostChannel.TIMEOUT, MattermostChannel.TIMEOUT.plusSeconds(3));
    }

    @Test
    void anInterruptEndsAHangingSend() throws Exception {
        mattermost.enqueue(Answer.hang());
        MattermostChannel channel = channel();

        Throwable thrown = Hanging.interruptedSend(() -> channel.send(TestNotifications.overdue()), mattermost,
                Duration.ofSeconds(2));

        assertThat(thrown).isInstanceOf(InterruptedException.class);
        Secrets.assertNoneIn(thrown, KEY);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "url | ''                                                   | url: missing",
        "url | https://chat.example.org/3xzkb5r8tfbmdpw1ce4nmjuxhc  | url: must be the incoming webhook's URL",
        "url | ftp://chat.example.org/hooks/3xzkb5r8tfbmdpw1ce4nmjuxhc | url: must be the incoming webhook's URL",
        "url | 'https://chat.example.org/hooks/3xzkb5r8tfbmdpw1ce4nmjuxhc?x=1' | url: must be the incoming webhook's URL",
        "url | 'not a url 3xzkb5r8tfbmdpw1ce4nmjuxhc'               | url: must be the incoming webhook's URL",
        "channel | 'Town Square'                                    | channel: must be a channel's name",
        "icon_url | icon.png                                        | icon_url: must be an http or https URL",
        "max_per_hour | -1                                          | max_per_hour: must be 0 (no cap) or more",
        "max_per_hour | lots                                        | max_per_hour: must be a whole number"})
    void configurationMistakesNameTheKeyAndNotTheWebhook(String key, String value, String message) {
        assertThatThrownBy(() -> channel(key, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> Secrets.assertNoneIn(e, KEY));
    }

    @Test
    void theChannelsOwnTextNamesNoSecret() {
        assertThat(channel().toString()).contains("/hooks/***");
        Secrets.assertNoneIn("toString", channel().toString(), KEY);
    }

    @Test
    void noSecretBecomesAServiceProperty() throws Exception {
        ChannelComponent component = ChannelComponent.of(MattermostChannel.class);

        component.assertOnlyTheSendLimitIsPublic("mattermost", 60);
        assertThat(component.attributeTypes()).containsEntry(".url", "Password")
                .containsKeys(".channel", ".username", ".icon_url");
        Map<String, Object> entry = Map.of("url", mattermost.hookUrl(), "channel", "ops-alerts",
                NotificationChannel.NAME, "ops_chat");
        assertThat(component.serviceProperties(entry)).isEqualTo(Map.of(NotificationChannel.TYPE, "mattermost",
                NotificationChannel.MAX_PER_HOUR, "60", NotificationChannel.NAME, "ops_chat"));
    }

    @Test
    void deactivationLeavesNoThreadOfTheChannel() throws Exception {
        MattermostChannel channel = channel(NotificationChannel.NAME, "thread_check");
        assertThat(send(channel, TestNotifications.overdue()).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(Threads.named("hb-notify-mattermost thread_check")).isNotEmpty();

        channel.deactivate();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> Threads.named("hb-notify-mattermost thread_check").isEmpty());
    }
}
