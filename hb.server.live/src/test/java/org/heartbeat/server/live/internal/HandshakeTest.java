package org.heartbeat.server.live.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.heartbeat.server.api.user.User;
import org.junit.jupiter.api.Test;

class HandshakeTest {
    private static final User ALICE = new User("alice", false, List.of());
    private static final Fakes.Users NONE = new Fakes.Users(List.of(), Map.of(), Map.of(), Map.of());
    private static final Fakes.Users USERS = new Fakes.Users(List.of(ALICE), Map.of("alice", "s3cret"),
            Map.of("hbt_token", "alice"), Map.of());
    private static final Handshake.SessionLookup NO_SESSION = Optional::empty;
    private final long[] now = {0};
    private final Attempts attempts = new Attempts(() -> now[0]);

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private Handshake.Verdict check(String origin, String host, String remoteUser, String authorization,
            Handshake.SessionLookup session, Fakes.Users users) {
        return Handshake.check(origin, host, -1, remoteUser, authorization, session, users, "192.0.2.1", attempts);
    }

    @Test
    void theOriginMustBeTheHostAndPortTheRequestCameTo() {
        assertThat(Handshake.originProblem("http://hb.example:50005", "hb.example:50005", -1)).isNull();
        assertThat(Handshake.originProblem("http://HB.example:50005", "hb.example:50005", -1)).isNull();
        assertThat(Handshake.originProblem("https://hb.example", "hb.example", -1)).isNull();
        assertThat(Handshake.originProblem("http://[::1]:50004", "[::1]:50004", -1)).isNull();
        assertThat(Handshake.originProblem(null, "hb.example:50005", -1)).as("no browser, no Origin").isNull();
        assertThat(Handshake.originProblem("http://evil.example", "hb.example:50005", -1))
                .startsWith("cross-origin WebSocket handshake refused");
        assertThat(Handshake.originProblem("http://hb.example:50004", "hb.example:50005", -1)).isNotNull();
        assertThat(Handshake.originProblem("http://hb.example.evil.example:50005", "hb.example:50005", -1)).isNotNull();
        assertThat(Handshake.originProblem("null", "hb.example:50005", -1)).isNotNull();
        assertThat(Handshake.originProblem("http://hb.example:50005", null, -1)).isNotNull();
    }

    @Test
    void onWsPortThePagesOfTheSameHostMayConnectToo() {
        assertThat(Handshake.originProblem("http://hb.example:50004", "hb.example:50005", 50004)).isNull();
        assertThat(Handshake.originProblem("http://hb.example:50005", "hb.example:50005", 50004)).isNull();
        assertThat(Handshake.originProblem("http://hb.example:8080", "hb.example:50005", 50004))
                .as("another server of the same host").isNotNull();
        assertThat(Handshake.originProblem("http://evil.example:50004", "hb.example:50005", 50004))
                .as("another host on the pages' port").isNotNull();
    }

    @Test
    void withoutUsersEveryoneConnectsAnonymously() {
        Handshake.Verdict v = check(null, "h:1", null, null, NO_SESSION, NONE);
        assertThat(v.accepted()).isTrue();
        assertThat(v.user()).isNull();
        assertThat(check("http://evil.example", "h:1", null, null, NO_SESSION, NONE).status())
                .isEqualTo(403);
    }

    @Test
    void withUsersAHandshakeNeedsAUser() {
        assertThat(check(null, "h:1", null, null, NO_SESSION, USERS).status()).isEqualTo(401);
        assertThat(check(null, "h:1", null, "Bearer hbt_token", NO_SESSION, USERS).user()).isEqualTo(ALICE);
        assertThat(check(null, "h:1", null, basic("alice", "s3cret"), NO_SESSION, USERS).user())
                .isEqualTo(ALICE);
        Handshake.Verdict wrong = check(null, "h:1", null, basic("alice", "guess"), NO_SESSION, USERS);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.error()).doesNotContain("guess");
        assertThat(check(null, "h:1", null, "Bearer nope", NO_SESSION, USERS).status()).isEqualTo(401);
        assertThat(check(null, "h:1", null, "Digest x", NO_SESSION, USERS).status()).isEqualTo(401);
        assertThat(check(null, "h:1", "alice", null, NO_SESSION, USERS).user())
                .as("authenticated by the access gate in front").isEqualTo(ALICE);
        assertThat(check(null, "h:1", null, null, () -> Optional.of(ALICE), USERS).user())
                .as("a session's user").isEqualTo(ALICE);
    }

    @Test
    void failedCredentialsAreLimitedPerAddressBeforeAnyHashIsComputed() {
        int[] checked = {0};
        Fakes.Users counting = new Fakes.Users(List.of(ALICE), Map.of("alice", "s3cret"), Map.of(), Map.of()) {
            @Override
            public Optional<User> authenticate(String name, String password) {
                checked[0]++;
                return super.authenticate(name, password);
            }
        };
        for (int i = 0; i < Attempts.BURST; i++) {
            assertThat(Handshake.check(null, "h:1", -1, null, basic("alice", "guess" + i), NO_SESSION, counting,
                    "192.0.2.9", attempts).status()).isEqualTo(401);
        }
        Handshake.Verdict limited = Handshake.check(null, "h:1", -1, null, basic("alice", "s3cret"), NO_SESSION,
                counting, "192.0.2.9", attempts);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.retryAfter()).isEqualTo(Attempts.REFILL_SECONDS);
        assertThat(checked[0]).isEqualTo(Attempts.BURST);
        assertThat(Handshake.check(null, "h:1", -1, null, basic("alice", "s3cret"), NO_SESSION, counting, "192.0.2.10",
                attempts).accepted()).as("another address").isTrue();
        now[0] += Attempts.REFILL_SECONDS * 1_000_000_000L;
        assertThat(Handshake.check(null, "h:1", -1, null, basic("alice", "s3cret"), NO_SESSION, counting, "192.0.2.9",
                attempts).accepted()).as("one attempt back after the refill time").isTrue();
        for (int i = 0; i < 20; i++) {
            assertThat(Handshake.check(null, "h:1", -1, null, basic("alice", "s3cret"), NO_SESSION, counting,
                    "192.0.2.10", attempts).accepted()).as("successes take nothing").isTrue();
        }
    }

    @Test
    void withoutAUserDirectoryItFailsClosed() {
        assertThat(check(null, "h:1", null, null, NO_SESSION, null).status()).isEqualTo(503);
    }
}
