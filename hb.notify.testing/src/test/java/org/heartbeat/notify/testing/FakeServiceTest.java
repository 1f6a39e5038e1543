package org.heartbeat.notify.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FakeServiceTest {
    private final HttpClient http = HttpClient.newHttpClient();

    /** Wants POST /hook with a form field "text"; answers 200 "ok". */
    static final class FakeHook extends FakeService {
        @Override
        protected List<String> check(RecordedRequest r) {
            return r.method().equals("POST") && r.path().equals("/hook") && r.form().containsKey("text") ? List.of()
                    : List.of("want POST /hook with text");
        }

        @Override
        protected Answer answer(RecordedRequest r) {
            return Answer.text(200, "ok");
        }
    }

    private HttpResponse<String> post(FakeService fake, String path, String form) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void recordsRequestsDecodesFormsAndKeepsProblems() throws Exception {
        try (FakeHook fake = new FakeHook()) {
            HttpResponse<String> ok = post(fake, "/hook?a=1&a=2", "text=h%C3%A9llo+world&x=%2B1");
            post(fake, "/elsewhere", "y=1");

            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("ok");
            RecordedRequest first = fake.requests().get(0);
            assertThat(first.form()).isEqualTo(Map.of("text", List.of("héllo world"), "x", List.of("+1")));
            assertThat(first.query()).isEqualTo(Map.of("a", List.of("1", "2")));
            assertThat(first.mediaType()).isEqualTo("application/x-www-form-urlencoded");
            assertThat(fake.problems()).containsExactly("POST /elsewhere: want POST /hook with text");
            assertThatThrownBy(fake::onlyRequest).isInstanceOf(AssertionError.class).hasMessageContaining("got 2");
        }
    }

    @Test
    void enqueuedAnswersComeFirstAndThenTheServicesOwn() throws Exception {
        try (FakeHook fake = new FakeHook()) {
            fake.enqueue(Answer.json(429, "{}").withHeader("Retry-After", "7"));

            HttpResponse<String> limited = post(fake, "/hook", "text=a");
            HttpResponse<String> normal = post(fake, "/hook", "text=b");

            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(normal.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aHangingAnswerHoldsTheConnectionUntilTheClientGivesUp() throws Exception {
        try (FakeHook fake = new FakeHook()) {
            fake.enqueue(Answer.hang());
            HttpRequest request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/hook"))
                    .timeout(Duration.ofMillis(300)).POST(HttpRequest.BodyPublishers.ofString("text=a")).build();

            assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.net.http.HttpTimeoutException.class);
            assertThat(fake.awaitRequests(1, Duration.ofSeconds(1))).isTrue();
            assertThat(fake.awaitRequests(2, Duration.ofMillis(50))).isFalse();
        }
    }

    @Test
    void anInterruptedSendIsReported() throws Exception {
        try (FakeHook fake = new FakeHook()) {
            fake.enqueue(Answer.hang());

            Throwable thrown = Hanging.interruptedSend(() -> post(fake, "/hook", "text=a"), fake, Duration.ofSeconds(5));

            assertThat(thrown).isInstanceOf(InterruptedException.class);
        }
    }

    @interface Config {
        String api__url() default "https://example.org";

        int max__per__hour() default 10;

        String[] recipients();

        String room_alias();
    }

    @Test
    void componentConfigMapsNamesAndConvertsAsScrDoes() {
        Config c = ComponentConfig.of(Config.class, Map.of("max_per_hour", "25", "recipients", "+15551234567",
                "room.alias", "#ops:example.org"));

        assertThat(c.api__url()).isEqualTo("https://example.org");
        assertThat(c.max__per__hour()).isEqualTo(25);
        assertThat(c.recipients()).containsExactly("+15551234567");
        assertThat(c.room_alias()).isEqualTo("#ops:example.org");
        assertThatThrownBy(() -> ComponentConfig.of(Config.class, Map.of("max_per_hour", "many")).max__per__hour())
                .isInstanceOf(NumberFormatException.class);
    }

    @Test
    void secretsAreFoundInCausesToo() {
        Exception e = new IllegalStateException("outer", new IOException("inner s3cret"));

        assertThatThrownBy(() -> Secrets.assertNoneIn(e, "s3cret")).isInstanceOf(AssertionError.class);
        Secrets.assertNoneIn(e, "other");
    }
}
