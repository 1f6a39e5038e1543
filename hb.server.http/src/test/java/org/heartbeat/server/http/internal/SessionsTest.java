package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class SessionsTest {
    private final MutableClock clock = new MutableClock();
    private final Sessions sessions = new Sessions(clock, Duration.ofMinutes(30));

    @Test
    void aSessionHasRandom256BitIdAndTokenThatNeverShowInToString() {
        Sessions.Session a = sessions.create("alice");
        Sessions.Session b = sessions.create("alice");
        assertThat(Base64.getUrlDecoder().decode(a.id())).hasSize(32);
        assertThat(Base64.getUrlDecoder().decode(a.csrf())).hasSize(32);
        assertThat(a.id()).isNotEqualTo(b.id()).isNotEqualTo(a.csrf());
        assertThat(a.csrf()).isNotEqualTo(b.csrf());
        assertThat(a.toString()).contains("alice").doesNotContain(a.id()).doesNotContain(a.csrf());
        assertThat(sessions.find(a.id())).containsSame(a);
        assertThat(sessions.find("made-up")).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
    }

    @Test
    void requestsKeepASessionAliveUntilItIsIdleTooLong() {
        Sessions.Session s = sessions.create("alice");
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(29));
            assertThat(sessions.find(s.id())).as("after %d requests 29 min apart", i + 1).isPresent();
        }
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.find(s.id())).isEmpty();
        assertThat(sessions.size()).as("dropped when found expired").isZero();
    }

    @Test
    void aSessionEndsAtTheAbsoluteCapHoweverBusy() {
        Sessions.Session s = sessions.create("alice");
        Duration step = Duration.ofMinutes(20);
        Duration lived = Duration.ZERO;
        while (lived.plus(step).compareTo(Sessions.ABSOLUTE) < 0) {
            clock.advance(step);
            lived = lived.plus(step);
            assertThat(sessions.find(s.id())).as("after %s", lived).isPresent();
        }
        clock.advance(Sessions.ABSOLUTE.minus(lived));
        assertThat(sessions.find(s.id())).isEmpty();
    }

    @Test
    void theIdleTimeoutCanChangeAndCanExceedTheCap() {
        Sessions.Session s = sessions.create("alice");
        sessions.idleTimeout(Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(5));
        assertThat(sessions.find(s.id())).isEmpty();

        sessions.idleTimeout(Duration.ofHours(24));
        assertThat(sessions.absoluteCap()).isEqualTo(Duration.ofHours(24));
        Sessions.Session t = sessions.create("alice");
        clock.advance(Duration.ofHours(23));
        assertThat(sessions.find(t.id())).isPresent();
        assertThatThrownBy(() -> sessions.idleTimeout(Duration.ZERO)).hasMessageContaining("session_idle_timeout");
    }

    @Test
    void endEndsOnlyThatSession() {
        Sessions.Session a = sessions.create("alice");
        Sessions.Session b = sessions.create("bob");
        assertThat(sessions.end(a.id())).isTrue();
        assertThat(sessions.end(a.id())).isFalse();
        assertThat(sessions.find(a.id())).isEmpty();
        assertThat(sessions.find(b.id())).isPresent();
    }

    @Test
    void csrfTokensCompareExactly() {
        Sessions.Session a = sessions.create("alice");
        assertThat(a.csrfMatches(a.csrf())).isTrue();
        assertThat(a.csrfMatches(null)).isFalse();
        assertThat(a.csrfMatches("")).isFalse();
        assertThat(a.csrfMatches(a.csrf().substring(1))).isFalse();
        assertThat(a.csrfMatches(sessions.create("alice").csrf())).isFalse();
    }

    @Test
    void beyondTheLimitTheExpiredThenTheLongestIdleGo() {
        Sessions.Session expired = sessions.create("gone");
        clock.advance(Duration.ofMinutes(20));
        Sessions.Session oldest = sessions.create("u0");
        clock.advance(Duration.ofMinutes(1));
        for (int i = 2; i < Sessions.MAX_SESSIONS; i++) {
            sessions.create("u" + i);
        }
        clock.advance(Duration.ofMinutes(10));
        assertThat(sessions.size()).isEqualTo(Sessions.MAX_SESSIONS);
        Sessions.Session a = sessions.create("late");
        assertThat(sessions.size()).as("the expired one made room").isEqualTo(Sessions.MAX_SESSIONS);
        assertThat(sessions.find(expired.id())).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        sessions.find(a.id());
        Sessions.Session b = sessions.create("later");
        assertThat(sessions.size()).isEqualTo(Sessions.MAX_SESSIONS);
        assertThat(sessions.find(b.id())).isPresent();
        assertThat(sessions.find(a.id())).isPresent();
        assertThat(sessions.find(oldest.id())).as("none expired: the one idle the longest made room").isEmpty();
    }
}
