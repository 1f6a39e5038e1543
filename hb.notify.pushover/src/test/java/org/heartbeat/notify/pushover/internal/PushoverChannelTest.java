package org.heartbeat.notify.pushover.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

class PushoverChannelTest {
    static final String TOKEN = "azGDORePK8gMaC0QOYAMyEEuzJnyUi";
    static final String USER = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG";

    private final FakePushover pushover = new FakePushover(TOKEN, USER);
    private final List<PushoverChannel> channels = new ArrayList<>();

    @AfterEach
    void stop() {
        channels.forEach(PushoverChannel::deactivate);
        pushover.close();
    }

    private PushoverChannel channel(Object... keysAndValues) {
        Map<String, Object> p = new HashMap<>(Map.of("token", TOKEN, "user", USER, "api_url", pushover.baseUrl()));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        PushoverChannel channel = new PushoverChannel(ComponentConfig.ofEntry(PushoverChannel.Config.class, p),
                ChannelComponent.configuration(p));
        channels.add(channel);
        return channel;
    }

    private Delivery send(PushoverChannel channel, Notification n) throws Exception {
        Delivery d = channel.send(n);
        Secrets.assertNoneIn(d, TOKEN, USER);
        return d;
    }

    private static String field(RecordedRequest r, String name) {
        List<String> v = r.form().get(name);
        return v == null ? null : v.get(0);
    }

    @Test
    void oneFormPostCarriesEveryDocumentedField() throws Exception {
        Delivery d = send(channel(), TestNotifications.withSeverity(Severity.WARNING));

        assertThat(pushover.problems()).isEmpty();
        assertThat(d.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(d.detail()).matches("request [0-9a-f-]{36}");
        RecordedRequest r = pushover.onlyRequest();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.rawPath()).isEqualTo("/1/messages.json");
        assertThat(r.mediaType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(r.form()).containsOnlyKeys("token", "user", "message", "title", "priority", "timestamp", "url",
                "url_title");
        assertThat(field(r, "token")).isEqualTo(TOKEN);
        assertThat(field(r, "user")).isEqualTo(USER);
        assertThat(field(r, "message")).isEqualTo(TestNotifications.BODY + "\n" + TestNotifications.LINK);
        assertThat(field(r, "title")).isEqualTo(TestNotifications.TITLE);
        assertThat(field(r, "priority")).isEqualTo("0");
        assertThat(field(r, "timestamp")).isEqualTo(Long.toString(TestNotifications.TIME.getEpochSecond()));
        assertThat(field(r, "url")).isEqualTo(TestNotifications.LINK.toString());
        assertThat(field(r, "url_title")).isEqualTo("web1 on the Heartbeat dashboard");
    }

    @Test
    void soundAndDeviceGoAlongWhenConfigured() throws Exception {
        send(channel("sound", "siren", "device", "iphone,droid2"), TestNotifications.overdue());

        RecordedRequest r = pushover.onlyRequest();
        assertThat(pushover.problems()).isEmpty();
        assertThat(field(r, "sound")).isEqualTo("siren");
        assertThat(field(r, "device")).isEqualTo("iphone,droid2");
    }

    @ParameterizedTest(name = "priority {0}, {1} -> {2}")
    @CsvSource({
        "2, CRITICAL, 2", "2, WARNING, 2", "2, UNKNOWN, 2", "2, OK, 0", "2, INFO, 0",
        "1, CRITICAL, 1", "1, WARNING, 1", "1, UNKNOWN, 1", "1, OK, 0", "1, INFO, 0",
        "0, CRITICAL, 0", "0, OK, 0",
        "-1, CRITICAL, -1", "-1, OK, -1", "-2, WARNING, -2", "-2, INFO, -2"})
    void severityPicksThePriorityAndOnlyEmergenciesCarryRetryAndExpire(int configured, Severity severity,
            int expected) throws Exception {
        Delivery d = send(channel("priority", configured, "retry", 90, "expire", 1800),
                TestNotifications.withSeverity(severity));

        assertThat(pushover.problems()).isEmpty();
        assertThat(d.outcome()).isEqualTo(Outcome.DELIVERED);
        RecordedRequest r = pushover.onlyRequest();
        assertThat(field(r, "priority")).isEqualTo(Integer.toString(expected));
        if (expected == 2) {
            assertThat(field(r, "retry")).isEqualTo("90");
            assertThat(field(r, "expire")).isEqualTo("1800");
            assertThat(d.detail()).contains("receipt ");
        } else {
            assertThat(r.form()).doesNotContainKeys("retry", "expire");
        }
    }

    @Test
    void emergencyDefaultsAreOneMinuteForAnHour() throws Exception {
        send(channel("priority", 2), TestNotifications.overdue());

        assertThat(field(pushover.onlyRequest(), "retry")).isEqualTo("60");
        assertThat(field(pushover.onlyRequest(), "expire")).isEqualTo("3600");
    }

    @Test
    void longTextsAreCutToPushoversLimitsWithAnEllipsis() throws Exception {
        String body = "word ".repeat(400).trim();
        String title = "web1 " + "very ".repeat(60) + "long title";
        send(channel(), TestNotifications.builder().title(title).body(body).build());

        assertThat(pushover.problems()).isEmpty();
        String message = field(pushover.onlyRequest(), "message");
        assertThat(message).hasSizeBetween(1000, 1024).endsWith("word\u2026").startsWith("word word");
        assertThat(field(pushover.onlyRequest(), "title")).hasSizeBetween(200, 250).startsWith("web1 very")
                .endsWith("\u2026");
    }

    @Test
    void withoutBodyAndLinkTheTitleIsTheMessage() throws Exception {
        send(channel(), TestNotifications.builder().body("").link(null).host(null).build());

        RecordedRequest r = pushover.onlyRequest();
        assertThat(pushover.problems()).isEmpty();
        assertThat(field(r, "message")).isEqualTo(TestNotifications.TITLE);
        assertThat(r.form()).doesNotContainKeys("url", "url_title");
    }

    @Test
    void aRejectedTokenFailsWithPushoversErrorText() throws Exception {
        PushoverChannel wrong = channel("token", "Zzzzzzzzzzzzzzzzzzzzzzzzzzzzz1");

        Delivery d = wrong.send(TestNotifications.overdue());

        Secrets.assertNoneIn(d, "Zzzzzzzzzzzzzzzzzzzzzzzzzzzzz1", USER);
        assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(d.detail()).isEqualTo("HTTP 400: application token is invalid");
    }

    @Test
    void anUnknownUserFails() throws Exception {
        Delivery d = channel("user", "Uzzzzzzzzzzzzzzzzzzzzzzzzzzzz2").send(TestNotifications.overdue());

        Secrets.assertNoneIn(d, TOKEN, "Uzzzzzzzzzzzzzzzzzzzzzzzzzzzz2");
        assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(d.detail()).contains("user identifier is not a valid user");
    }

    @Test
    void aStatusOtherThanOneFailsEvenInA200() throws Exception {
        pushover.enqueue(Answer.json(200, "{\"status\":0,\"errors\":[\"device name is not valid for user\"]}"));

        Delivery d = send(channel(), TestNotifications.overdue());

        assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(d.detail()).isEqualTo("HTTP 200 without status 1: device name is not valid for user");
    }

    @Test
    void theMonthlyLimitIsRetriedOnceItResets() throws Exception {
        pushover.enqueue(pushover.overQuota());

        Delivery d = send(channel(), TestNotifications.overdue());

        assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
        Duration expected = Duration.between(Instant.now(), Instant.ofEpochSecond(pushover.reset));
        assertThat(d.retryAfter()).isPresent();
        assertThat(d.retryAfter().get().toSeconds()).isCloseTo(expected.toSeconds(), within(5L));
        assertThat(d.detail()).startsWith("HTTP 429: the application's monthly message limit is reached; it resets at "
                + Instant.ofEpochSecond(pushover.reset));
    }

    @Test
    void serverTroubleIsRetriedNoSoonerThanFiveSeconds() throws Exception {
        pushover.enqueue(Answer.of(500, "text/html", "<html><body>Internal Server Error</body></html>"),
                Answer.of(503, "text/html", "<h1>down</h1>").withHeader("Retry-After", "120"));

        Delivery first = send(channel(), TestNotifications.overdue());
        Delivery second = send(channel(), TestNotifications.overdue());

        assertThat(first.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(first.retryAfter()).hasValue(Duration.ofSeconds(5));
        assertThat(first.detail()).startsWith("HTTP 500: Pushover has temporary trouble");
        assertThat(second.retryAfter()).hasValue(Duration.ofSeconds(120));
    }

    @Test
    void anotherClientErrorFailsWithTheStartOfTheAnswer() throws Exception {
        pushover.enqueue(Answer.of(403, "text/html", "<html><body>Forbidden by proxy</body></html>"));

        Delivery d = send(channel(), TestNotifications.overdue());

        assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(d.detail()).isEqualTo("HTTP 403: <html><body>Forbidden by proxy</body></html>");
    }

    @Test
    void aSecretEchoedByTheServiceIsBlottedOut() throws Exception {
        pushover.enqueue(FakePushover.invalid("user", "user " + USER + " has no active devices"));

        Delivery d = send(channel(), TestNotifications.overdue());

        assertThat(d.detail()).isEqualTo("HTTP 400: user *** has no active devices");
    }

    @Test
    void anUnreachableServiceIsRetried() throws Exception {
        PushoverChannel channel = channel();
        pushover.close();

        Delivery d = send(channel, TestNotifications.overdue());

        assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(d.detail()).startsWith("cannot reach Pushover: java.net.ConnectException");
    }

    @Test
    void aServiceThatNeverAnswersEndsWithinTheClientTimeout() throws Exception {
        pushover.enqueue(Answer.hang());
        long start = System.nanoTime();

        Delivery d = send(channel(), TestNotifications.overdue());

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(d.detail()).isEqualTo("Pushover did not answer within 10 s");
        assertThat(took).isBetween(PushoverChannel.TIMEOUT, PushoverChannel.TIMEOUT.plusSeconds(3));
    }

    @Test
    void anInterruptEndsAHangingSend() throws Exception {
        pushover.enqueue(Answer.hang());
        PushoverChannel channel = channel();

        Throwable thrown = Hanging.interruptedSend(() -> channel.send(TestNotifications.overdue()), pushover,
                Duration.ofSeconds(2));

        assertThat(thrown).isInstanceOf(InterruptedException.class);
        Secrets.assertNoneIn(thrown, TOKEN, USER);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "token | ''                              | token: missing",
        "token | azGDORePK8gMaC0QOYAMyEEuzJnyU   | token: must be the application's API token",
        "user  | uQiRzpo4DXghDmr9QzzfQu27cmVRs   | user: must be a user or group key",
        "user  | u@example.org                   | user: must be a user or group key",
        "priority | 3                            | priority: must be -2, -1, 0, 1 or 2, got 3",
        "priority | high                         | priority: must be a whole number",
        "retry | 10                              | retry: Pushover repeats an emergency notification at most every 30",
        "expire | 10801                          | expire: must be between 1 and 10800 seconds",
        "sound | 'two words'                     | sound: must be the name of a Pushover sound",
        "device | 'a-device-name-longer-than-25' | device: must be device names of up to 25",
        "api_url | ftp://api.pushover.net        | api_url: must be an http or https URL",
        "api_url | 'https://api.pushover.net/?x=1' | api_url: must be an http or https URL",
        "max_per_hour | -1                       | max_per_hour: must be 0 (no cap) or more"})
    void configurationMistakesNameTheKeyAndNoSecret(String key, String value, String message) {
        assertThatThrownBy(() -> channel(key, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> Secrets.assertNoneIn(e, TOKEN, USER, "azGDORePK8gMaC0QOYAMyEEuzJnyU"));
    }

    @Test
    void aMissingUserIsNamed() {
        assertThatThrownBy(() -> new PushoverChannel(ComponentConfig.ofEntry(PushoverChannel.Config.class,
                Map.of("token", TOKEN)), Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("user: missing");
    }

    @Test
    void noSecretBecomesAServiceProperty() throws Exception {
        ChannelComponent component = ChannelComponent.of(PushoverChannel.class);

        component.assertOnlyTheSendLimitIsPublic("pushover", 20);
        assertThat(component.attributeTypes()).containsEntry(".token", "Password").containsEntry(".user", "Password")
                .containsKeys(".priority", ".retry", ".expire", ".sound", ".device", ".api_url");
        Map<String, Object> entry = Map.of("token", TOKEN, "user", USER, "priority", 2, "max_per_hour", 5,
                NotificationChannel.NAME, "oncall_phone");
        assertThat(component.serviceProperties(entry)).isEqualTo(Map.of(NotificationChannel.TYPE, "pushover",
                NotificationChannel.MAX_PER_HOUR, 5, NotificationChannel.NAME, "oncall_phone"));
    }

    @Test
    void theChannelReadsItsKeysFromThePrivateProperties() throws Exception {
        send(channel("priority", 1, "sound", "siren"), TestNotifications.overdue());

        assertThat(field(pushover.onlyRequest(), "priority")).isEqualTo("1");
        assertThat(field(pushover.onlyRequest(), "sound")).isEqualTo("siren");
        assertThatThrownBy(() -> new PushoverChannel(ComponentConfig.of(PushoverChannel.Config.class,
                Map.of("token", TOKEN, "user", USER)), Map.of())).hasMessage("token: missing");
    }

    @Test
    void deactivationLeavesNoThreadOfTheChannel() throws Exception {
        PushoverChannel channel = channel(NotificationChannel.NAME, "thread_check");
        assertThat(send(channel, TestNotifications.overdue()).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(Threads.named("hb-notify-pushover thread_check")).isNotEmpty();

        channel.deactivate();

        await().atMost(Duration.ofSeconds(10)).until(() -> Threads.named("hb-notify-pushover thread_check").isEmpty());
    }

    @Test
    void theChannelsOwnTextNamesNoSecret() {
        Secrets.assertNoneIn("toString", channel().toString(), TOKEN, USER);
    }
}
