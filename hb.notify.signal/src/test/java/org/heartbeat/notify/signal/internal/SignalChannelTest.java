package org.heartbeat.notify.signal.internal;

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
import org.heartbeat.api.notify.NotificationChannel;
import org.heartbeat.notify.testing.Answer;
import org.heartbeat.notify.testing.ChannelComponent;
import org.heartbeat.notify.testing.ComponentConfig;
import org.heartbeat.notify.testing.Hanging;
import org.heartbeat.notify.testing.RecordedRequest;
import org.heartbeat.notify.testing.TestNotifications;
import org.heartbeat.notify.testing.Threads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

class SignalChannelTest {
    static final String SENDER = "+4915112345678";
    static final String ALICE = "+4917612345678";
    static final String BOB = "+4915798765432";
    /** A group id as GET /v1/groups/{number} lists it. */
    static final String GROUP = "group.ZlZkeTV5VHd4QzlOZlY5QzlORXh2cGdNeUg0dEc2aXBkR2R2Q3lMWFBnTT0=";

    private final FakeSignal signal = new FakeSignal(SENDER, Set.of(ALICE, BOB, GROUP));

    private final List<SignalChannel> channels = new ArrayList<>();

    @AfterEach
    void stop() {
        channels.forEach(SignalChannel::deactivate);
        signal.close();
    }

    private SignalChannel open(Map<String, Object> entry) {
        SignalChannel channel = new SignalChannel(ComponentConfig.ofEntry(SignalChannel.Config.class, entry),
                ChannelComponent.configuration(entry));
        channels.add(channel);
        return channel;
    }

    private SignalChannel channel(Object... keysAndValues) {
        Map<String, Object> p = new HashMap<>(Map.of("url", signal.baseUrl(), "number", SENDER,
                "recipients", List.of(ALICE, BOB)));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return open(p);
    }

    @Test
    void postsTheMessageTheSenderAndTheRecipients() throws Exception {
        Delivery d = channel().send(TestNotifications.overdue());

        assertThat(signal.problems()).isEmpty();
        assertThat(d.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(d.detail()).isEqualTo("timestamp 1764115224123");
        RecordedRequest r = signal.onlyRequest();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.rawPath()).isEqualTo("/v2/send");
        assertThat(r.mediaType()).isEqualTo("application/json");
        JsonNode j = r.json();
        assertThat(j.size()).isEqualTo(3);
        assertThat(j.path("message").asText()).isEqualTo(TestNotifications.overdue().text());
        assertThat(j.path("number").asText()).isEqualTo(SENDER);
        assertThat(j.path("recipients")).extracting(JsonNode::asText).containsExactly(ALICE, BOB);
    }

    @Test
    void aGroupIsOneRecipientAndATrailingSlashInTheUrlIsHarmless() throws Exception {
        Delivery d = channel("recipients", GROUP, "url", signal.baseUrl() + "/").send(TestNotifications.overdue());

        assertThat(signal.problems()).isEmpty();
        assertThat(d.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(signal.onlyRequest().json().path("recipients")).extracting(JsonNode::asText).containsExactly(GROUP);
    }

    @Test
    void a200IsAlsoDelivered() throws Exception {
        signal.enqueue(Answer.json(200, "{\"timestamp\":\"1764115224999\"}"));

        assertThat(channel().send(TestNotifications.overdue()))
                .isEqualTo(Delivery.delivered("timestamp 1764115224999"));
    }

    @Test
    void anUnregisteredRecipientFailsWithTheApisError() throws Exception {
        Delivery d = channel("recipients", "+4917600000000").send(TestNotifications.overdue());

        assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(d.detail()).isEqualTo("HTTP 400: Failed to send message: +4917600000000: Unregistered user");
    }

    @Test
    void anUnknownSenderFails() throws Exception {
        Delivery d = channel("number", "+4915100000000").send(TestNotifications.overdue());

        assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(d.detail()).isEqualTo(
                "HTTP 400: Invalid account (phone number), make sure you include the country code.");
    }

    @Test
    void signalsRateLimitIsRetried() throws Exception {
        signal.enqueue(Answer.json(429, "{\"error\":\"Failed to send message due to rate limiting. Use the attached"
                + " challenge tokens to lift the rate limit restrictions via the"
                + " '/v1/accounts/{number}/rate-limit-challenge' endpoint.\",\"challenge_tokens\":"
                + "[\"a6b7c8d9-0000-4000-8000-000000000000\"],\"account\":\"" + SENDER + "\"}"));

        Delivery d = channel().send(TestNotifications.overdue());

        assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(d.detail()).startsWith("HTTP 429: Failed to send message due to rate limiting.");
    }

    @Test
    void serverErrorsAreRetriedAndAWrongPathFails() throws Exception {
        signal.enqueue(Answer.text(500, "Internal Server Error"), Answer.text(404, "404 page not found"));

        Delivery server = channel().send(TestNotifications.overdue());
        Delivery missing = channel().send(TestNotifications.overdue());

        assertThat(server.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(server.detail()).isEqualTo("HTTP 500: Internal Server Error");
        assertThat(missing.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(missing.detail()).isEqualTo("HTTP 404: 404 page not found");
    }

    @Test
    void anUnreachableApiIsRetried() throws Exception {
        SignalChannel channel = channel();
        signal.close();

        Delivery d = channel.send(TestNotifications.overdue());

        assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(d.detail()).startsWith("cannot reach the signal-cli REST API: java.net.ConnectException");
    }

    @Test
    void anApiThatNeverAnswersEndsWithinTheClientTimeout() throws Exception {
        signal.enqueue(Answer.hang());
        long start = System.nanoTime();

        Delivery d = channel().send(TestNotifications.overdue());

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(d.detail()).isEqualTo("the signal-cli REST API did not answer within 20 s");
        assertThat(took).isBetween(SignalChannel.TIMEOUT, SignalChannel.TIMEOUT.plusSeconds(3));
    }

    @Test
    void anInterruptEndsAHangingSend() throws Exception {
        signal.enqueue(Answer.hang());
        SignalChannel channel = channel();

        Throwable thrown = Hanging.interruptedSend(() -> channel.send(TestNotifications.overdue()), signal,
                Duration.ofSeconds(2));

        assertThat(thrown).isInstanceOf(InterruptedException.class);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "url | ''                          | url: missing",
        "url | 127.0.0.1:8080              | url: must be an http or https URL such as http://127.0.0.1:8080",
        "number | ''                       | number: missing",
        "number | 015112345678             | number: must be the registered sender's number in international format",
        "recipients | ''                   | recipients: missing",
        "recipients | 0176 1234567         | recipients: \"0176 1234567\" is neither a phone number",
        "recipients | group.!!!            | recipients: \"group.!!!\" is not a group id",
        "max_per_hour | -1                 | max_per_hour: must be 0 (no cap) or more"})
    void configurationMistakesNameTheKey(String key, String value, String message) {
        assertThatThrownBy(() -> channel(key, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void aGroupCannotShareAChannelWithNumbersOrAnotherGroup() {
        String otherGroup = "group.b3RoZXJncm91cGlkb3RoZXJncm91cGlkb3RoZXJncm91cA==";

        for (List<String> recipients : List.of(List.of(GROUP, ALICE), List.of(GROUP, otherGroup))) {
            assertThatThrownBy(() -> channel("recipients", recipients))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("recipients: a group cannot share a channel with numbers or another group");
        }
    }

    @Test
    void repeatedRecipientsAreSentOnce() throws Exception {
        channel("recipients", List.of(ALICE, ALICE, " " + BOB)).send(TestNotifications.overdue());

        assertThat(signal.onlyRequest().json().path("recipients")).extracting(JsonNode::asText)
                .containsExactly(ALICE, BOB);
    }

    @Test
    void noSecretBecomesAServiceProperty() throws Exception {
        ChannelComponent component = ChannelComponent.of(SignalChannel.class);

        component.assertOnlyTheSendLimitIsPublic("signal", 30);
        assertThat(component.attributeTypes()).containsEntry(".url", "String").containsEntry(".number", "String").containsEntry(".recipients", "String");
        Map<String, Object> entry = new HashMap<>(Map.of("url", signal.baseUrl(), "number", SENDER, "recipients", new String[] {"+4917612345678"}));
        entry.put(NotificationChannel.NAME, "signal_channel");
        assertThat(component.serviceProperties(entry)).isEqualTo(Map.of(NotificationChannel.TYPE, "signal",
                NotificationChannel.MAX_PER_HOUR, "30", NotificationChannel.NAME, "signal_channel"));
    }

    @Test
    void deactivationLeavesNoThreadOfTheChannel() throws Exception {
        SignalChannel channel = channel(NotificationChannel.NAME, "thread_check");
        assertThat(channel.send(TestNotifications.overdue()).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(Threads.named("hb-notify-signal thread_check")).isNotEmpty();

        channel.deactivate();

        await().atMost(Duration.ofSeconds(10)).until(() -> Threads.named("hb-notify-signal thread_check").isEmpty());
    }
}
