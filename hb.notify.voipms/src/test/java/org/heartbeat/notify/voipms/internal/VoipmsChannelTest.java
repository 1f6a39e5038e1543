package org.heartbeat.notify.voipms.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
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

class VoipmsChannelTest {
    static final String USER = "ops@example.org";
    static final String PASSWORD = "p4ss&w0rd=s3cret?";
    static final String DID = "5551234567";
    static final String ALICE = "5559876543";
    static final String BOB = "5557654321";
    /** What must never show: the password, as written and as encoded, and any piece of the request URI. */
    static final String[] NEVER = {PASSWORD, "p4ss%26w0rd%3Ds3cret%3F", "api_password=", "rest.php?"};

    private final FakeVoipms voipms = new FakeVoipms(USER, PASSWORD, DID, Set.of(ALICE, BOB));

    private final List<VoipmsChannel> channels = new ArrayList<>();

    @AfterEach
    void stop() {
        channels.forEach(VoipmsChannel::deactivate);
        voipms.close();
    }

    private VoipmsChannel open(Map<String, Object> entry) {
        VoipmsChannel channel = new VoipmsChannel(ComponentConfig.ofEntry(VoipmsChannel.Config.class, entry),
                ChannelComponent.configuration(entry));
        channels.add(channel);
        return channel;
    }

    private VoipmsChannel channel(Object... keysAndValues) {
        Map<String, Object> p = new HashMap<>(Map.of("api_username", USER, "api_password", PASSWORD, "did", DID,
                "destination", List.of(ALICE), "api_url", voipms.apiUrl()));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return open(p);
    }

    private Delivery send(VoipmsChannel channel, Notification n) throws Exception {
        Delivery d = channel.send(n);
        Secrets.assertNoneIn(d, NEVER);
        return d;
    }

    @Test
    void oneGetCarriesEveryParameterInTheQuery() throws Exception {
        Delivery d = send(channel(), TestNotifications.builder().link(null).build());

        assertThat(voipms.problems()).isEmpty();
        assertThat(d).isEqualTo(Delivery.delivered("sent to " + ALICE + " (sms 23434)"));
        RecordedRequest r = voipms.onlyRequest();
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.rawPath()).isEqualTo("/api/v1/rest.php");
        assertThat(r.query()).isEqualTo(Map.of("api_username", List.of(USER), "api_password", List.of(PASSWORD),
                "method", List.of("sendSMS"), "did", List.of(DID), "dst", List.of(ALICE),
                "message", List.of(TestNotifications.TITLE + "\n" + TestNotifications.BODY)));
        assertThat(r.rawQuery()).contains("api_password=p4ss%26w0rd%3Ds3cret%3F");
    }

    @Test
    void eachDestinationGetsItsOwnSms() throws Exception {
        Delivery d = send(channel("destination", List.of(ALICE, BOB)), TestNotifications.overdue());

        assertThat(voipms.problems()).isEmpty();
        assertThat(d).isEqualTo(Delivery.delivered("sent to " + ALICE + " (sms 23434), " + BOB + " (sms 23435)"));
        assertThat(voipms.sent).extracting(Map.Entry::getKey).containsExactly(ALICE, BOB);
    }

    @Test
    void aLongTextIsCutTo160CharactersWithAnEllipsis() throws Exception {
        Notification n = TestNotifications.builder()
                .body("No heartbeat since 08:00:12 UTC (interval 10 s + grace 2 s); last seen from 192.0.2.10,"
                        + " uptime 41 days, load 0.42 0.40 0.38.")
                .build();

        send(channel(), n);

        String message = voipms.sent.get(0).getValue();
        assertThat(n.text()).hasSizeGreaterThan(170);
        assertThat(message).isEqualTo(n.text(160));
        assertThat(message).endsWith("\u2026").startsWith(TestNotifications.TITLE + "\n");
        assertThat(message.getBytes(StandardCharsets.UTF_8).length).isBetween(140, 160);
    }

    @Test
    void textOutsideAsciiIsCutTo160BytesNotJust160Characters() throws Exception {
        Notification accents = TestNotifications.builder().title("Hôte édition-01 est en retard")
                .body("Aucun battement de cœur depuis 08:00:12 UTC, intervalle dépassé, délai de grâce écoulé,"
                        + " vérifiez la connexion réseau et l'état de l'hôte éloigné immédiatement")
                .link(null).build();

        Delivery d = send(channel(), accents);

        assertThat(voipms.problems()).isEmpty();
        assertThat(d.outcome()).isEqualTo(Outcome.DELIVERED);
        String message = voipms.sent.get(0).getValue();
        assertThat(message.length()).isLessThan(160);
        assertThat(message.getBytes(StandardCharsets.UTF_8).length).isBetween(150, 160);
        assertThat(message).endsWith("\u2026");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "invalid_credentials | invalid_credentials (api_username or api_password is wrong)",
        "ip_not_enabled      | ip_not_enabled (this host's IP address is not allowed to use the API",
        "api_not_enabled     | api_not_enabled (API access is not enabled in the VoIP.ms portal)",
        "invalid_dst         | invalid_dst (the destination is not a valid number)",
        "invalid_did         | invalid_did (did is not a VoIP.ms number of this account with SMS enabled)",
        "sms_toolong         | sms_toolong (the text is longer than VoIP.ms accepts)",
        "missing_message     | missing_message (the text is missing)",
        "invalid_something_new | invalid_something_new"})
    void permanentStatusesFailWithTheirMeaning(String status, String detail) throws Exception {
        voipms.enqueue(FakeVoipms.status(status));

        Delivery d = send(channel(), TestNotifications.overdue());

        assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(d.detail()).startsWith(ALICE + ": " + detail);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "sms_failed    | sms_failed (VoIP.ms could not send the SMS this time)",
        "limit_reached | limit_reached (the account's daily SMS limit is reached)",
        "no_idea_what_this_is | no_idea_what_this_is"})
    void transientStatusesAreRetried(String status, String detail) throws Exception {
        voipms.enqueue(FakeVoipms.status(status));

        Delivery d = send(channel(), TestNotifications.overdue());

        assertThat(d).isEqualTo(Delivery.retry(ALICE + ": " + detail));
    }

    @Test
    void wrongCredentialsAndAnIpNotAllowedComeFromTheServiceItself() throws Exception {
        Delivery wrong = send(channel("api_password", "not-it"), TestNotifications.overdue());
        voipms.ipAllowed = false;
        Delivery ip = send(channel(), TestNotifications.overdue());

        assertThat(wrong.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(wrong.detail()).startsWith(ALICE + ": invalid_credentials");
        assertThat(ip.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(ip.detail()).startsWith(ALICE + ": ip_not_enabled");
        assertThat(voipms.sent).isEmpty();
    }

    @Test
    void aRetryAfterPartialSuccessSendsOnlyToTheRest() throws Exception {
        VoipmsChannel channel = channel("destination", List.of(ALICE, BOB));
        voipms.failNext(BOB, "sms_failed");

        Delivery first = send(channel, TestNotifications.overdue());
        Delivery second = send(channel, TestNotifications.overdue());

        assertThat(first).isEqualTo(Delivery.retry(BOB + ": sms_failed (VoIP.ms could not send the SMS this time);"
                + " already sent to " + ALICE + " (sms 23434)"));
        assertThat(second).isEqualTo(Delivery.delivered("sent to " + ALICE + " (sms 23434), " + BOB + " (sms 23435)"));
        assertThat(voipms.requests()).extracting(r -> r.query().get("dst").get(0)).containsExactly(ALICE, BOB, BOB);
        assertThat(voipms.sent).extracting(Map.Entry::getKey).containsExactly(ALICE, BOB);
    }

    @Test
    void aPermanentRefusalBesideASuccessFailsNamingBoth() throws Exception {
        Delivery d = send(channel("destination", List.of("5550000000", ALICE)), TestNotifications.overdue());

        assertThat(d).isEqualTo(Delivery.failed("5550000000: invalid_dst (the destination is not a valid number);"
                + " sent to " + ALICE + " (sms 23434)"));
    }

    @Test
    void aRefusedDestinationIsNotTriedAgainWhileAnotherIsRetried() throws Exception {
        VoipmsChannel channel = channel("destination", List.of("5550000000", ALICE));
        voipms.failNext(ALICE, "limit_reached");

        Delivery first = send(channel, TestNotifications.overdue());
        Delivery second = send(channel, TestNotifications.overdue());

        assertThat(first.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(first.detail()).isEqualTo(ALICE + ": limit_reached (the account's daily SMS limit is reached);"
                + " refused for good: 5550000000: invalid_dst (the destination is not a valid number)");
        assertThat(second).isEqualTo(Delivery.failed("5550000000: invalid_dst (the destination is not a valid number);"
                + " sent to " + ALICE + " (sms 23434)"));
        assertThat(voipms.requests()).extracting(r -> r.query().get("dst").get(0))
                .containsExactly("5550000000", ALICE, ALICE);
    }

    @Test
    void httpErrorsAreClassifiedByStatus() throws Exception {
        voipms.enqueue(Answer.of(503, "text/html", "<h1>Service Unavailable</h1>").withHeader("Retry-After", "30"),
                Answer.of(403, "text/html", "<h1>Forbidden</h1>"),
                Answer.of(200, "text/html", "<html>maintenance</html>"));

        Delivery unavailable = send(channel(), TestNotifications.overdue());
        Delivery forbidden = send(channel(), TestNotifications.overdue());
        Delivery notJson = send(channel(), TestNotifications.overdue());

        assertThat(unavailable).isEqualTo(Delivery.retryAfter(Duration.ofSeconds(30),
                ALICE + ": HTTP 503: <h1>Service Unavailable</h1>"));
        assertThat(forbidden).isEqualTo(Delivery.failed(ALICE + ": HTTP 403: <h1>Forbidden</h1>"));
        assertThat(notJson).isEqualTo(Delivery.retry(ALICE + ": HTTP 200 without VoIP.ms's JSON: <html>maintenance</html>"));
    }

    @Test
    void anUnreachableServiceIsRetriedWithoutTheRequestUri() throws Exception {
        VoipmsChannel channel = channel();
        voipms.close();

        Delivery d = send(channel, TestNotifications.overdue());

        assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(d.detail()).startsWith(ALICE + ": cannot reach VoIP.ms: java.net.ConnectException");
    }

    @Test
    void aServiceThatNeverAnswersEndsWithinTheClientTimeout() throws Exception {
        voipms.enqueue(Answer.hang());
        long start = System.nanoTime();

        Delivery d = send(channel(), TestNotifications.overdue());

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(d).isEqualTo(Delivery.retry(ALICE + ": VoIP.ms did not answer within 10 s"));
        assertThat(took).isBetween(VoipmsChannel.TIMEOUT, VoipmsChannel.TIMEOUT.plusSeconds(3));
    }

    @Test
    void manyHangingDestinationsStayWithinOneSendsTime() throws Exception {
        voipms.enqueue(Answer.hang(), Answer.hang(), Answer.hang());
        String carol = "5553334444";
        long start = System.nanoTime();

        Delivery d = send(channel("destination", List.of(ALICE, BOB, carol, "5556667777")),
                TestNotifications.overdue());

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isBetween(VoipmsChannel.BUDGET.minusSeconds(2), VoipmsChannel.BUDGET.plusSeconds(3));
        assertThat(took).isLessThan(Duration.ofSeconds(NotificationChannel.TIMEOUT_SECONDS));
        assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(d.detail()).matches(ALICE + ": VoIP.ms did not answer within 10 s; "
                + BOB + ": VoIP.ms did not answer within 10 s; " + carol + ": VoIP.ms did not answer within [1-5] s; "
                + "5556667777: not tried, the time for one send is used up");
    }

    @Test
    void anInterruptEndsAHangingSendAndWhatWasSentIsNotSentAgain() throws Exception {
        VoipmsChannel channel = channel("destination", List.of(ALICE, BOB));
        voipms.hangNext(BOB);

        Throwable thrown = Hanging.interruptedSend(() -> channel.send(TestNotifications.overdue()), voipms, 2,
                Duration.ofSeconds(2));
        Delivery retried = send(channel, TestNotifications.overdue());

        assertThat(thrown).isInstanceOf(InterruptedException.class);
        Secrets.assertNoneIn(thrown, NEVER);
        assertThat(retried).isEqualTo(Delivery.delivered("sent to " + ALICE + " (sms 23434), " + BOB + " (sms 23435)"));
        assertThat(voipms.requests()).extracting(r -> r.query().get("dst").get(0)).containsExactly(ALICE, BOB, BOB);
        assertThat(voipms.sent).extracting(Map.Entry::getKey).containsExactly(ALICE, BOB);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "api_username | ''                 | api_username: missing",
        "api_username | ops                | api_username: must be the e-mail address",
        "api_password | ''                 | api_password: missing",
        "did | ''                          | did: missing",
        "did | +1 555 123 4567             | did: must be your SMS-enabled VoIP.ms number as digits only",
        "destination | ''                  | destination: missing",
        "destination | 555-987-6543        | destination: must be phone numbers as digits only",
        "api_url | voip.ms/api/v1/rest.php | api_url: must be an http or https URL",
        "api_url | 'https://voip.ms/api/v1/rest.php?api_password=x' | api_url: must be an http or https URL",
        "max_per_hour | -1                 | max_per_hour: must be 0 (no cap) or more"})
    void configurationMistakesNameTheKeyAndNoSecret(String key, String value, String message) {
        assertThatThrownBy(() -> channel(key, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> Secrets.assertNoneIn(e, PASSWORD));
    }

    @Test
    void aPasswordWithAControlCharacterIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> channel("api_password", "abc\u0000def"))
                .hasMessage("api_password: must not contain control characters")
                .satisfies(e -> Secrets.assertNoneIn(e, "abc\u0000def"));
    }

    @Test
    void theChannelsOwnTextNamesNoSecret() {
        Secrets.assertNoneIn("toString", channel().toString(), NEVER);
    }

    @Test
    void noSecretBecomesAServiceProperty() throws Exception {
        ChannelComponent component = ChannelComponent.of(VoipmsChannel.class);

        component.assertOnlyTheSendLimitIsPublic("voipms", 10);
        assertThat(component.attributeTypes()).containsEntry(".api_password", "Password")
                .containsEntry(".api_username", "String").containsEntry(".did", "String")
                .containsEntry(".destination", "String");
        Map<String, Object> entry = new HashMap<>(Map.of("api_username", USER, "api_password", PASSWORD, "did", DID,
                "destination", ALICE));
        entry.put(NotificationChannel.NAME, "voipms_channel");
        assertThat(component.serviceProperties(entry)).isEqualTo(Map.of(NotificationChannel.TYPE, "voipms",
                NotificationChannel.MAX_PER_HOUR, "10", NotificationChannel.NAME, "voipms_channel"));
    }

    @Test
    void deactivationLeavesNoThreadOfTheChannel() throws Exception {
        VoipmsChannel channel = channel(NotificationChannel.NAME, "thread_check");
        assertThat(send(channel, TestNotifications.overdue()).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(Threads.named("hb-notify-voipms thread_check")).isNotEmpty();

        channel.deactivate();

        await().atMost(Duration.ofSeconds(10)).until(() -> Threads.named("hb-notify-voipms thread_check").isEmpty());
    }
}
