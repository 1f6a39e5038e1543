package org.heartbeat.notify.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.api.notify.Delivery.Outcome;
import org.heartbeat.api.notify.NotificationChannel;
import org.heartbeat.notify.testing.Answer;
import org.heartbeat.notify.testing.FakeService;
import org.heartbeat.notify.testing.RecordedRequest;
import org.heartbeat.notify.testing.Secrets;
import org.junit.jupiter.api.Test;

class HttpSenderTest {
    private static final String SECRET = "s3cr3t-t0ken-n0t-f0r-l0gs";
    private static final Instant NOW = Instant.parse("2026-11-26T08:00:24Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** Answers 200 with the request body echoed back, as a careless service might. */
    static final class Echo extends FakeService {
        @Override
        protected List<String> check(RecordedRequest request) {
            return request.method().equals("POST") ? List.of() : List.of("expected POST");
        }

        @Override
        protected Answer answer(RecordedRequest request) {
            return Answer.text(200, "you sent " + request.bodyText());
        }
    }

    private static HttpRequest post(String url, String body, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(url + "/send")).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    void theAnswerGoesToTheClassifierWithTheClocksTime() throws Exception {
        AtomicReference<Instant> seen = new AtomicReference<>();
        try (Echo echo = new Echo(); HttpSender http = new HttpSender("hb-notify-test", "Echo", CLOCK, SECRET)) {
            echo.enqueue(Answer.json(429, "{}").withHeader("Retry-After", "7"));

            Delivery d = http.send(post(echo.baseUrl(), "hello", Duration.ofSeconds(5)), (status, headers, body, now) -> {
                seen.set(now);
                return Delivery.ofHttpStatus(status, headers.firstValue("Retry-After").orElse(null), body, now);
            });

            assertThat(d).isEqualTo(Delivery.retryAfter(Duration.ofSeconds(7), "HTTP 429: {}"));
            assertThat(seen.get()).isEqualTo(NOW);
            assertThat(echo.onlyRequest().bodyText()).isEqualTo("hello");
            assertThat(echo.problems()).isEmpty();
        }
    }

    @Test
    void aSecretTheServiceEchoesIsRedacted() throws Exception {
        try (Echo echo = new Echo(); HttpSender http = new HttpSender("hb-notify-test", "Echo", CLOCK, SECRET)) {
            Delivery d = http.send(post(echo.baseUrl(), "token=" + SECRET, Duration.ofSeconds(5)),
                    (status, headers, body, now) -> Delivery.failed(body));

            assertThat(d).isEqualTo(Delivery.failed("you sent token=***"));
            Secrets.assertNoneIn(d, SECRET);
        }
    }

    @Test
    void noAnswerWithinTheRequestsTimeoutIsARetry() throws Exception {
        try (Echo echo = new Echo(); HttpSender http = new HttpSender("hb-notify-test", "Echo", CLOCK, SECRET)) {
            echo.enqueue(Answer.hang());

            Delivery d = http.send(post(echo.baseUrl(), "hello", Duration.ofSeconds(1)), HttpSenderTest::unexpected);

            assertThat(d).isEqualTo(Delivery.retry("Echo did not answer within 1 s"));
        }
    }

    @Test
    void noConnectionIsARetryNamingTheError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (HttpSender http = new HttpSender("hb-notify-test", "Echo", CLOCK, SECRET)) {
            Delivery d = http.send(post("http://127.0.0.1:" + port, "hello", Duration.ofSeconds(5)),
                    HttpSenderTest::unexpected);

            assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
            assertThat(d.detail()).startsWith("cannot reach Echo: " + ConnectException.class.getName());
        }
    }

    @Test
    void threadsAreNamedAfterTheChannel() {
        assertThat(HttpSender.threadPrefix("pushover", Map.of(NotificationChannel.NAME, "oncall_phone")))
                .isEqualTo("hb-notify-pushover oncall_phone");
        assertThat(HttpSender.threadPrefix("pushover", Map.of())).isEqualTo("hb-notify-pushover");
    }

    @Test
    void anErrorMessageThatMightHoldAQueryIsLeftOut() {
        assertThat(HttpSender.describe(new IOException("GET https://x.example/api?api_password=p failed")))
                .isEqualTo("java.io.IOException");
        assertThat(HttpSender.describe(new IOException("Connection reset")))
                .isEqualTo("java.io.IOException: Connection reset");
        assertThat(HttpSender.describe(new ConnectException())).isEqualTo("java.net.ConnectException");
    }

    @Test
    void closeLeavesNoThreadOfTheSenderRunning() throws Exception {
        Set<Thread> selectorsBefore = selectorThreads();
        HttpSender http = new HttpSender("hb-notify-closing", "Echo", CLOCK, SECRET);
        Set<Thread> ours = selectorThreads();
        ours.removeAll(selectorsBefore);
        try (Echo echo = new Echo()) {
            assertThat(http.send(post(echo.baseUrl(), "hello", Duration.ofSeconds(5)),
                    (status, headers, body, now) -> Delivery.delivered()).outcome()).isEqualTo(Outcome.DELIVERED);
        }
        assertThat(threadsNamed("hb-notify-closing-")).isNotEmpty();
        assertThat(ours).as("the client's selector thread").hasSize(1);

        http.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> threadsNamed("hb-notify-closing-").isEmpty());
        // the selector thread ends once the client is unreachable: it looks every few seconds
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            return ours.stream().noneMatch(Thread::isAlive);
        });
        assertThat(http.send(post("http://127.0.0.1:9", "late", Duration.ofSeconds(1)), HttpSenderTest::unexpected))
                .isEqualTo(Delivery.retry("cannot reach Echo: java.io.IOException: the Echo channel is stopped"));
    }

    private static Delivery unexpected(int status, java.net.http.HttpHeaders headers, String body, Instant now) {
        throw new AssertionError("no answer was expected, got " + status);
    }

    static Set<Thread> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix))
                .collect(Collectors.toSet());
    }

    private static Set<Thread> selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager"))
                .collect(Collectors.toSet());
    }
}
