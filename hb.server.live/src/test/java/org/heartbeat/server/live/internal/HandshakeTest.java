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

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theOriginMustBeTheHostAndPortTheRequestCameTo() {
        assertThat(Handshake.originProblem("http://hb.example:50005", "hb.example:50005")).isNull();
        assertThat(Handshake.originProblem("http://HB.example:50005", "hb.example:50005")).isNull();
        assertThat(Handshake.originProblem("https://hb.example", "hb.example")).isNull();
        assertThat(Handshake.originProblem("http://[::1]:50004", "[::1]:50004")).isNull();
        assertThat(Handshake.originProblem(null, "hb.example:50005")).as("no browser, no Origin").isNull();
        assertThat(Handshake.originProblem("http://evil.example", "hb.example:50005"))
                .startsWith("cross-origin WebSocket handshake refused");
        assertThat(Handshake.originProblem("http://hb.example:50004", "hb.example:50005")).isNotNull();
        assertThat(Handshake.originProblem("http://hb.example.evil.example:50005", "hb.example:50005")).isNotNull();
        assertThat(Handshake.originProblem("null", "hb.example:50005")).isNotNull();
        assertThat(Handshake.originProblem("http://hb.example:50005", null)).isNotNull();
    }

    @Test
    void withoutUsersEveryoneConnectsAnonymously() {
        Handshake.Verdict v = Handshake.check(null, "h:1", null, null, NO_SESSION, NONE);
        assertThat(v.accepted()).isTrue();
        assertThat(v.user()).isNull();
        assertThat(Handshake.check("http://evil.example", "h:1", null, null, NO_SESSION, NONE).status())
                .isEqualTo(403);
    }

    @Test
    void withUsersAHandshakeNeedsAUser() {
        assertThat(Handshake.check(null, "h:1", null, null, NO_SESSION, USERS).status()).isEqualTo(401);
        assertThat(Handshake.check(null, "h:1", null, "Bearer hbt_token", NO_SESSION, USERS).user()).isEqualTo(ALICE);
        assertThat(Handshake.check(null, "h:1", null, basic("alice", "s3cret"), NO_SESSION, USERS).user())
                .isEqualTo(ALICE);
        Handshake.Verdict wrong = Handshake.check(null, "h:1", null, basic("alice", "guess"), NO_SESSION, USERS);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.error()).doesNotContain("guess");
        assertThat(Handshake.check(null, "h:1", null, "Bearer nope", NO_SESSION, USERS).status()).isEqualTo(401);
        assertThat(Handshake.check(null, "h:1", null, "Digest x", NO_SESSION, USERS).status()).isEqualTo(401);
        assertThat(Handshake.check(null, "h:1", "alice", null, NO_SESSION, USERS).user())
                .as("authenticated by the access gate in front").isEqualTo(ALICE);
        assertThat(Handshake.check(null, "h:1", null, null, () -> Optional.of(ALICE), USERS).user())
                .as("a session's user").isEqualTo(ALICE);
    }

    @Test
    void withoutAUserDirectoryItFailsClosed() {
        assertThat(Handshake.check(null, "h:1", null, null, NO_SESSION, null).status()).isEqualTo(503);
    }
}
