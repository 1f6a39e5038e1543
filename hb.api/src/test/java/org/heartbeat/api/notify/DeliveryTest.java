package org.heartbeat.api.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.heartbeat.api.notify.Delivery.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DeliveryTest {
    private static final Instant NOW = Instant.parse("2026-10-21T07:28:00Z");

    @ParameterizedTest
    @CsvSource({"200,DELIVERED", "201,DELIVERED", "204,DELIVERED", "400,FAILED", "401,FAILED", "403,FAILED",
            "404,FAILED", "408,RETRY", "429,RETRY", "500,RETRY", "502,RETRY", "503,RETRY", "301,FAILED"})
    void httpStatusesAreClassifiedByTheUsualRules(int status, Outcome expected) {
        Delivery d = Delivery.ofHttpStatus(status, null, "body", NOW);
        assertThat(d.outcome()).isEqualTo(expected);
        assertThat(d.detail()).isEqualTo("HTTP " + status + ": body");
        assertThat(d.retryAfter()).isEmpty();
    }

    @Test
    void retryAfterInSecondsIsHonoured() {
        Delivery d = Delivery.ofHttpStatus(429, "120", null, NOW);
        assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(d.retryAfter()).contains(Duration.ofSeconds(120));
        assertThat(d.detail()).isEqualTo("HTTP 429");
    }

    @Test
    void retryAfterAsAnHttpDateIsTheTimeUntilThen() {
        assertThat(Delivery.ofHttpStatus(503, "Wed, 21 Oct 2026 07:30:30 GMT", "", NOW).retryAfter())
                .contains(Duration.ofSeconds(150));
        assertThat(Delivery.parseRetryAfter("Wed, 21 Oct 2026 07:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void aRetryAfterOnAPermanentFailureIsIgnored() {
        Delivery d = Delivery.ofHttpStatus(400, "30", "bad request", NOW);
        assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(d.retryAfter()).isEmpty();
    }

    @Test
    void invalidRetryAfterHeadersAreIgnored() {
        assertThat(Delivery.parseRetryAfter("soon", NOW)).isEmpty();
        assertThat(Delivery.parseRetryAfter("-5", NOW)).isEmpty();
        assertThat(Delivery.parseRetryAfter("99999999999999999999999", NOW)).isEmpty();
        assertThat(Delivery.parseRetryAfter("", NOW)).isEmpty();
        assertThat(Delivery.parseRetryAfter(null, NOW)).isEmpty();
        assertThat(Delivery.parseRetryAfter(" 7 ", NOW)).contains(Duration.ofSeconds(7));
    }

    @Test
    void factoriesSayWhatHappened() {
        assertThat(Delivery.delivered().outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(Delivery.delivered("id 42").detail()).isEqualTo("id 42");
        assertThat(Delivery.retry(null).detail()).isEqualTo("retry");
        assertThat(Delivery.failed("token rejected").outcome()).isEqualTo(Outcome.FAILED);
        assertThat(Delivery.retryAfter(Duration.ofMillis(1500), "rate limited").retryAfter())
                .contains(Duration.ofMillis(1500));
        assertThatThrownBy(() -> Delivery.retryAfter(Duration.ofSeconds(-1), "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Delivery.failed("a")).isEqualTo(Delivery.failed("a")).isNotEqualTo(Delivery.retry("a"));
    }

    @Test
    void redactBlotsOutEverySecretAndKeepsTheOutcomeAndDelay() {
        Delivery d = Delivery.retryAfter(Duration.ofSeconds(30), "429 from https://chat.example/hooks/s3cr3t: s3cr3t");
        Delivery r = d.redact("s3cr3t", null, "");
        assertThat(r.detail()).isEqualTo("429 from https://chat.example/hooks/***: ***");
        assertThat(r.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(r.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(Delivery.failed("401 bad token abc").redact("abc").detail()).isEqualTo("401 bad token ***");
        Delivery untouched = Delivery.retry("timeout");
        assertThat(untouched.redact("abc")).isSameAs(untouched);
    }
}
