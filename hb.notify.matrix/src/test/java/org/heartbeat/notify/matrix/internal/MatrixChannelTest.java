package org.heartbeat.notify.matrix.internal;

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

class MatrixChannelTest {
    static final String TOKEN = "syt_aGVhcnRiZWF0_bNvZXcHXJUYoUEmnVcPq_1hPRdw";
    static final String ROOM = "!VzRxqAktvCQBdRsyGl:example.org";
    static final String OTHER_ROOM = "!kSEHaeEcMbLcqvqLNQ:example.org";

    private final FakeMatrix matrix = new FakeMatrix(TOKEN, Set.of(ROOM, OTHER_ROOM));

    private final List<MatrixChannel> channels = new ArrayList<>();

    @AfterEach
    void stop() {
        channels.forEach(MatrixChannel::deactivate);
        matrix.close();
    }

    private MatrixChannel open(Map<String, Object> entry) {
        MatrixChannel channel = new MatrixChannel(ComponentConfig.ofEntry(MatrixChannel.Config.class, entry),
                ChannelComponent.configuration(entry));
        channels.add(channel);
        return channel;
    }

    private MatrixChannel channel(Object... keysAndValues) {
        Map<String, Object> p = new HashMap<>(Map.of("homeserver", matrix.baseUrl(), "access_token", TOKEN,
                "room", ROOM));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return open(p);
    }

    private Delivery send(MatrixChannel channel, Notification n) throws Exception {
        Delivery d = channel.send(n);
        Secrets.assertNoneIn(d, TOKEN);
        return d;
    }

    @Test
    void sendsOneTextMessageWithItsHtmlToTheRoom() throws Exception {
        Delivery d = send(channel(), TestNotifications.overdue());

        assertThat(matrix.problems()).isEmpty();
        assertThat(d.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(d.detail()).isEqualTo("event $event1:example.org");
        RecordedRequest r = matrix.onlyRequest();
        assertThat(r.method()).isEqualTo("PUT");
        assertThat(r.rawPath()).matches("/_matrix/client/v3/rooms/%21VzRxqAktvCQBdRsyGl%3Aexample\\.org"
                + "/send/m\\.room\\.message/hb-ntf-1764115200000123-[0-9a-f]{8}");
        assertThat(r.header("Authorization")).hasValue("Bearer " + TOKEN);
        assertThat(r.mediaType()).isEqualTo("application/json");
        JsonNode c = r.json();
        assertThat(c.size()).isEqualTo(4);
        assertThat(c.path("msgtype").asText()).isEqualTo("m.text");
        assertThat(c.path("body").asText()).isEqualTo(TestNotifications.overdue().text());
        assertThat(c.path("format").asText()).isEqualTo("org.matrix.custom.html");
        assertThat(c.path("formatted_body").asText()).isEqualTo(
                "<font color=\"#c62828\" data-mx-color=\"#c62828\"><b>web1 is overdue</b></font><br>"
                        + TestNotifications.BODY + "<br><a href=\"https://hb.example.org/hosts/web1\">"
                        + "https://hb.example.org/hosts/web1</a>");
        assertThat(matrix.events).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"CRITICAL, #c62828", "WARNING, #ef6c00", "UNKNOWN, #ef6c00", "OK, #2e7d32"})
    void theTitleTakesTheSeveritysColour(Severity severity, String colour) throws Exception {
        send(channel(), TestNotifications.withSeverity(severity));

        assertThat(matrix.onlyRequest().json().path("formatted_body").asText())
                .startsWith("<font color=\"" + colour + "\" data-mx-color=\"" + colour + "\"><b>web1 is overdue</b>");
    }

    @Test
    void informationHasNoColour() throws Exception {
        send(channel(), TestNotifications.builder().severity(Severity.INFO).body("").link(null).build());

        assertThat(matrix.onlyRequest().json().path("formatted_body").asText()).isEqualTo("<b>web1 is overdue</b>");
    }

    @Test
    void htmlInTheTextIsEscapedAndLinesBecomeBreaks() throws Exception {
        send(channel(), TestNotifications.builder().title("<b>web1</b> & \"co\" is overdue").body("line 1\nline 2")
                .link(null).build());

        JsonNode c = matrix.onlyRequest().json();
        assertThat(c.path("formatted_body").asText()).endsWith(
                "<b>&lt;b&gt;web1&lt;/b&gt; &amp; &quot;co&quot; is overdue</b></font><br>line 1<br>line 2");
        assertThat(c.path("body").asText()).isEqualTo("<b>web1</b> & \"co\" is overdue\nline 1\nline 2");
    }

    @Test
    void aRetryIsTheSameTransactionSoTheRoomGetsOneMessage() throws Exception {
        MatrixChannel channel = channel();

        Delivery first = send(channel, TestNotifications.overdue());
        Delivery retried = send(channel, TestNotifications.overdue());
        Delivery another = send(channel, TestNotifications.builder().id("ntf-1764115200000124").build());

        List<RecordedRequest> r = matrix.requests();
        assertThat(r.get(1).rawPath()).isEqualTo(r.get(0).rawPath());
        assertThat(r.get(2).rawPath()).isNotEqualTo(r.get(0).rawPath());
        assertThat(retried.detail()).isEqualTo(first.detail());
        assertThat(another.detail()).isNotEqualTo(first.detail());
        assertThat(matrix.events).hasSize(2);
    }

    @Test
    void theSameNotificationToAnotherRoomIsAnotherTransaction() {
        assertThat(MatrixMessage.transactionId("ntf-1", ROOM)).isNotEqualTo(MatrixMessage.transactionId("ntf-1",
                OTHER_ROOM)).isEqualTo(MatrixMessage.transactionId("ntf-1", ROOM));
    }

    @Test
    void anAliasIsResolvedOnceAndItsRoomIdKept() throws Exception {
        matrix.aliases.put("#ops:example.org", OTHER_ROOM);
        MatrixChannel channel = channel("room", "#ops:example.org");

        Delivery first = send(channel, TestNotifications.overdue());
        Delivery second = send(channel, TestNotifications.builder().id("ntf-2").build());

        assertThat(matrix.problems()).isEmpty();
        assertThat(first.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(second.outcome()).isEqualTo(Outcome.DELIVERED);
        List<RecordedRequest> r = matrix.requests();
        assertThat(r).hasSize(3);
        assertThat(r.get(0).method()).isEqualTo("GET");
        assertThat(r.get(0).rawPath()).isEqualTo("/_matrix/client/v3/directory/room/%23ops%3Aexample.org");
        assertThat(r.get(0).header("Authorization")).hasValue("Bearer " + TOKEN);
        assertThat(matrix.events).extracting(Map.Entry::getKey).containsExactly(OTHER_ROOM, OTHER_ROOM);
    }

    @Test
    void anUnknownAliasFailsWithoutSending() throws Exception {
        Delivery d = send(channel("room", "#nope:example.org"), TestNotifications.overdue());

        assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(d.detail()).isEqualTo(
                "resolving #nope:example.org: HTTP 404: M_NOT_FOUND: Room alias #nope:example.org not found.");
        assertThat(matrix.requests()).hasSize(1);
    }

    @Test
    void afterAFailedSendTheAliasIsLookedUpAgain() throws Exception {
        matrix.aliases.put("#ops:example.org", "!notjoined:example.org");
        MatrixChannel channel = channel("room", "#ops:example.org");

        Delivery refused = send(channel, TestNotifications.overdue());
        matrix.aliases.put("#ops:example.org", OTHER_ROOM);
        Delivery moved = send(channel, TestNotifications.builder().id("ntf-2").build());

        assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(refused.detail()).isEqualTo(
                "HTTP 403: M_FORBIDDEN: User @heartbeat:example.org not in room !notjoined:example.org");
        assertThat(moved.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(matrix.requests()).extracting(RecordedRequest::method).containsExactly("GET", "PUT", "GET", "PUT");
    }

    @Test
    void anUnknownTokenFailsAndIsNotRepeated() throws Exception {
        MatrixChannel wrong = channel("access_token", "syt_d3Jvbmc_wrongwrongwrong_0abcde");

        Delivery d = wrong.send(TestNotifications.overdue());

        Secrets.assertNoneIn(d, TOKEN, "syt_d3Jvbmc_wrongwrongwrong_0abcde");
        assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(d.detail()).isEqualTo("HTTP 401: M_UNKNOWN_TOKEN: Invalid access token passed.");
    }

    @Test
    void aRateLimitWaitsAsLongAsTheHomeserverAsks() throws Exception {
        String limited = "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"Too many requests\",\"retry_after_ms\":2500}";
        matrix.enqueue(Answer.json(429, limited), Answer.json(429, limited).withHeader("Retry-After", "4"),
                Answer.json(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"Too many requests\"}")
                        .withHeader("Retry-After", "3"));

        Delivery fromBody = send(channel(), TestNotifications.overdue());
        Delivery headerLonger = send(channel(), TestNotifications.overdue());
        Delivery headerOnly = send(channel(), TestNotifications.overdue());

        assertThat(fromBody.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(fromBody.retryAfter()).hasValue(Duration.ofMillis(2500));
        assertThat(fromBody.detail()).isEqualTo("HTTP 429: M_LIMIT_EXCEEDED: Too many requests");
        assertThat(headerLonger.retryAfter()).hasValue(Duration.ofSeconds(4));
        assertThat(headerOnly.retryAfter()).hasValue(Duration.ofSeconds(3));
    }

    @Test
    void serverErrorsAreRetried() throws Exception {
        matrix.enqueue(FakeMatrix.error(500, "M_UNKNOWN", "Internal server error"),
                Answer.of(502, "text/html", "<html><body>502 Bad Gateway</body></html>"));

        Delivery internal = send(channel(), TestNotifications.overdue());
        Delivery gateway = send(channel(), TestNotifications.overdue());

        assertThat(internal.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(internal.detail()).isEqualTo("HTTP 500: M_UNKNOWN: Internal server error");
        assertThat(gateway.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(gateway.detail()).isEqualTo("HTTP 502: <html><body>502 Bad Gateway</body></html>");
    }

    @Test
    void anUnrecognisedEndpointFails() throws Exception {
        matrix.enqueue(FakeMatrix.error(404, "M_UNRECOGNIZED", "Unrecognized request"));

        Delivery d = send(channel(), TestNotifications.overdue());

        assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(d.detail()).isEqualTo("HTTP 404: M_UNRECOGNIZED: Unrecognized request");
    }

    @Test
    void anUnreachableHomeserverIsRetried() throws Exception {
        MatrixChannel channel = channel("room", "#ops:example.org");
        matrix.close();

        Delivery d = send(channel, TestNotifications.overdue());

        assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(d.detail()).startsWith("resolving #ops:example.org: cannot reach the homeserver: "
                + "java.net.ConnectException");
    }

    @Test
    void aHomeserverThatNeverAnswersEndsWithinTheClientTimeout() throws Exception {
        matrix.enqueue(Answer.hang());
        long start = System.nanoTime();

        Delivery d = send(channel(), TestNotifications.overdue());

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(d.detail()).isEqualTo("the homeserver did not answer within 10 s");
        assertThat(took).isBetween(MatrixChannel.TIMEOUT, MatrixChannel.TIMEOUT.plusSeconds(3));
    }

    @Test
    void anInterruptEndsAHangingAliasLookup() throws Exception {
        matrix.enqueue(Answer.hang());
        MatrixChannel channel = channel("room", "#ops:example.org");

        Throwable thrown = Hanging.interruptedSend(() -> channel.send(TestNotifications.overdue()), matrix,
                Duration.ofSeconds(2));

        assertThat(thrown).isInstanceOf(InterruptedException.class);
        Secrets.assertNoneIn(thrown, TOKEN);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "homeserver | ''                               | homeserver: missing",
        "homeserver | matrix.example.org               | homeserver: must be an http or https URL such as https://matrix.example.org",
        "homeserver | 'https://matrix.example.org/?a=b' | homeserver: must be an http or https URL such as https://matrix.example.org",
        "access_token | ''                             | access_token: missing",
        "access_token | 'syt_abc def'                  | access_token: must be the access token as the homeserver",
        "room | ''                                     | room: missing",
        "room | ops                                    | room: must be a room id (!abc:example.org) or a room alias",
        "room | '#ops'                                 | room: must be a room id",
        "room | '@alice:example.org'                   | room: must be a room id",
        "max_per_hour | -5                             | max_per_hour: must be 0 (no cap) or more"})
    void configurationMistakesNameTheKeyAndNoSecret(String key, String value, String message) {
        assertThatThrownBy(() -> channel(key, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> Secrets.assertNoneIn(e, TOKEN, "syt_abc def"));
    }

    @Test
    void theChannelsOwnTextNamesNoSecret() {
        Secrets.assertNoneIn("toString", channel().toString(), TOKEN);
    }

    @Test
    void noSecretBecomesAServiceProperty() throws Exception {
        ChannelComponent component = ChannelComponent.of(MatrixChannel.class);

        component.assertOnlyTheSendLimitIsPublic("matrix", 60);
        assertThat(component.attributeTypes()).containsEntry(".access_token", "Password").containsEntry(".homeserver", "String").containsEntry(".room", "String");
        Map<String, Object> entry = new HashMap<>(Map.of("homeserver", matrix.baseUrl(), "access_token", TOKEN, "room", ROOM));
        entry.put(NotificationChannel.NAME, "matrix_channel");
        assertThat(component.serviceProperties(entry)).isEqualTo(Map.of(NotificationChannel.TYPE, "matrix",
                NotificationChannel.MAX_PER_HOUR, "60", NotificationChannel.NAME, "matrix_channel"));
    }

    @Test
    void deactivationLeavesNoThreadOfTheChannel() throws Exception {
        MatrixChannel channel = channel(NotificationChannel.NAME, "thread_check");
        assertThat(send(channel, TestNotifications.overdue()).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(Threads.named("hb-notify-matrix thread_check")).isNotEmpty();

        channel.deactivate();

        await().atMost(Duration.ofSeconds(10)).until(() -> Threads.named("hb-notify-matrix thread_check").isEmpty());
    }
}
