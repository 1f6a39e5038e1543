package org.heartbeat.server.internal.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.heartbeat.config.PasswordHash;
import org.heartbeat.config.ServerConfig;
import org.heartbeat.config.TokenFile;
import org.heartbeat.server.api.user.User;
import org.heartbeat.server.internal.Components;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersTest {
    /** "correct horse", made by Python's hashlib with Werkzeug's rules (see PasswordHashTest in hb.config). */
    private static final String CORRECT_HORSE = "pbkdf2:sha256:1000$abcdefgh12345678$"
            + "ff230943be408e59715ba0b36f988109dfd4ca63f15795889319022646a88364";

    @TempDir
    Path dir;

    private final AtomicReference<ServerConfig> config = new AtomicReference<>();
    private final MutableClock clock = new MutableClock();
    private final AtomicInteger verifications = new AtomicInteger();
    private final Components.RecordingLogger log = new Components.RecordingLogger();
    private final Users users = new Users(config::get, clock, (hash, password) -> {
        verifications.incrementAndGet();
        return PasswordHash.parse(hash).verify(password);
    }, log.logger);

    private void configure(String yaml) throws Exception {
        config.set(ServerConfig.parse("pickfile: " + dir.resolve("state.pick") + "\n" + yaml));
    }

    private static final String TWO_USERS = """
            notification_channels:
              pager: {type: pushover}
            users:
              alice:
                password: %s
                admin: true
                notification_channels: [pager]
              bob:
                password: %s
            default_owner: bob
            hosts:
              web1: {owner: alice}
              web2: {}
              db1: {owner: carol}
            """;

    @Test
    void withoutUsersTheDirectoryIsDisabled() throws Exception {
        configure("");
        assertThat(users.enabled()).isFalse();
        assertThat(users.users()).isEmpty();
        assertThat(users.authenticate("alice", "x")).isEmpty();
        assertThat(users.owner("web1")).isEmpty();
    }

    @Test
    void usersAndOwnersComeFromTheConfigurationInForce() throws Exception {
        configure(TWO_USERS.formatted(CORRECT_HORSE, CORRECT_HORSE));
        assertThat(users.enabled()).isTrue();
        assertThat(users.users()).containsExactly(new User("alice", true, List.of("pager")),
                new User("bob", false, List.of()));
        assertThat(users.user("alice")).contains(new User("alice", true, List.of("pager")));
        assertThat(users.user("nobody")).isEmpty();
        assertThat(users.owner("web1")).map(User::name).contains("alice");
        assertThat(users.owner("web2")).as("default_owner").map(User::name).contains("bob");
        assertThat(users.owner("unconfigured")).as("default_owner").map(User::name).contains("bob");
        assertThat(users.owner("db1")).as("an owner who is not a user: the admins").isEmpty();

        configure(TWO_USERS.formatted(CORRECT_HORSE, CORRECT_HORSE).replace("default_owner: bob\n", ""));
        assertThat(users.owner("web2")).as("after a reload without default_owner").isEmpty();
    }

    @Test
    void passwordsAreVerifiedOnceAMinuteAndAChangedHashCountsAtOnce() throws Exception {
        configure(TWO_USERS.formatted(CORRECT_HORSE, CORRECT_HORSE));
        assertThat(users.authenticate("alice", "correct horse")).map(User::name).contains("alice");
        assertThat(users.authenticate("alice", "correct horse")).map(User::name).contains("alice");
        assertThat(verifications).as("the second from memory").hasValue(1);
        assertThat(users.authenticate("alice", "wrong")).isEmpty();
        assertThat(users.authenticate("alice", "wrong")).as("failures are never remembered").isEmpty();
        assertThat(verifications).hasValue(3);

        clock.advance(Duration.ofSeconds(Users.REMEMBER_SECONDS));
        assertThat(users.authenticate("alice", "correct horse")).isPresent();
        assertThat(verifications).as("remembered for a minute").hasValue(4);

        // the operator changes alice's password and reloads: the old one is refused at once
        String other = PasswordHash.create("new one".toCharArray(), 10, "salt").text();
        configure(TWO_USERS.formatted(other, CORRECT_HORSE));
        assertThat(users.authenticate("alice", "correct horse")).isEmpty();
        assertThat(users.authenticate("alice", "new one")).isPresent();
        assertThat(users.authenticate("bob", "correct horse")).map(User::name).contains("bob");
    }

    @Test
    void unknownUsersAndUsersWithoutPasswordAreRefusedWithoutHashing() throws Exception {
        configure("users:\n  carol: {}\n");
        assertThat(users.authenticate("carol", "")).isEmpty();
        assertThat(users.authenticate("dave", "x")).isEmpty();
        assertThat(users.authenticate(null, null)).isEmpty();
        assertThat(verifications).hasValue(0);
    }

    @Test
    void tokensCountFromTheirCreationUntilRevokedAndOnlyForUsersInTheConfiguration() throws Exception {
        configure(TWO_USERS.formatted(CORRECT_HORSE, CORRECT_HORSE));
        TokenFile cli = new TokenFile(dir.resolve(".hb.tokens"));
        assertThat(users.authenticateToken("hbt_none")).isEmpty();

        TokenFile.Created made = cli.create("bob", "ci", Clock.systemUTC());
        assertThat(users.authenticateToken(made.secret())).map(User::name).contains("bob");

        configure(TWO_USERS.formatted(CORRECT_HORSE, CORRECT_HORSE).replace("  bob:\n    password: "
                + CORRECT_HORSE + "\n", "").replace("default_owner: bob\n", ""));
        assertThat(users.authenticateToken(made.secret())).as("bob removed from users:").isEmpty();

        configure(TWO_USERS.formatted(CORRECT_HORSE, CORRECT_HORSE));
        assertThat(users.authenticateToken(made.secret())).isPresent();
        cli.revoke(made.token().id());
        assertThat(users.authenticateToken(made.secret())).isEmpty();
    }

    @Test
    void aDamagedTokenFileRefusesTokensAndSaysSoWithoutTheirHashes() throws Exception {
        configure(TWO_USERS.formatted(CORRECT_HORSE, CORRECT_HORSE));
        Files.writeString(dir.resolve(".hb.tokens"), "garbage " + "a".repeat(64) + "\n");
        assertThat(users.authenticateToken("hbt_x")).isEmpty();
        assertThat(log.lines).singleElement().asString().contains("cannot read the token file", "line 1")
                .doesNotContain("aaaa");
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-07T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
