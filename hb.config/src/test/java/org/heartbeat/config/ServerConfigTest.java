package org.heartbeat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    private static final String TUTORIAL = """
            hb_port: 50003 # UDP port — clients send heartbeats here
            hbd_port: 50004 # HTTP port — web dashboard and API
            ws_port: 50005 # WebSocket port — live dashboard updates
            interval: 20 # Expected heartbeat interval (seconds)
            grace: 2 # Seconds of slack before a host is considered overdue
            pickfile: ~/.hb.pick
            pidfile: ~/.hb.pid
            logfile: ~/.hb.log
            """;

    @Test
    void theTutorialsFileIsReadWithHomeExpanded() throws Exception {
        ServerConfig c = ServerConfig.parse(TUTORIAL);
        assertThat(c.hbPort()).isEqualTo(50003);
        assertThat(c.hbdPort()).isEqualTo(50004);
        assertThat(c.wsPort()).isEqualTo(50005);
        assertThat(c.interval()).isEqualTo(20);
        assertThat(c.grace()).isEqualTo(2);
        Path home = UserHome.dir();
        assertThat(c.pickfile()).isEqualTo(home.resolve(".hb.pick"));
        assertThat(c.pidfile()).isEqualTo(home.resolve(".hb.pid"));
        assertThat(c.logfile()).isEqualTo(home.resolve(".hb.log"));
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void defaultsAreTheTutorials() {
        ServerConfig d = ServerConfig.defaults();
        assertThat(d.hbPort()).isEqualTo(50003);
        assertThat(d.hbdPort()).isEqualTo(50004);
        assertThat(d.wsPort()).isEqualTo(50005);
        assertThat(d.interval()).isEqualTo(20);
        assertThat(d.grace()).isEqualTo(2);
        assertThat(d.requireAuth()).isFalse();
        assertThat(d.hosts()).isEmpty();
    }

    @Test
    void aWrongTypeIsNamedWithKeyAndLine() {
        String yaml = TUTORIAL.replace("grace: 2", "grace: two").replace("pickfile", "# moved\npickfile");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ServerConfig.parse(yaml));
        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(ConfigProblem::toString)
                .containsExactly("grace: expected a number of seconds, got \"two\" (line 5)");
    }

    @Test
    void everyMistakeIsReportedAtOnce() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ServerConfig.parse("""
                hb_port: 70000
                interval: -5
                require_auth: maybe
                hosts:
                  web1:
                    key: not-a-key
                """));
        assertThat(e.problems()).extracting(ConfigProblem::key)
                .containsExactly("hb_port", "interval", "require_auth", "hosts.web1.key");
        assertThat(e.getMessage()).doesNotContain("not-a-key");
        assertThat(e.problems().get(0).toString()).isEqualTo("hb_port: must be between 0 and 65535, got 70000 (line 1)");
    }

    @Test
    void unknownKeysAreWarnedAboutWithASuggestion() throws Exception {
        ServerConfig c = ServerConfig.parse("intervall: 10\nfoo: bar\n");
        assertThat(c.warnings()).extracting(ConfigProblem::toString).containsExactly(
                "intervall: unknown key, ignored; did you mean \"interval\"? (line 1)",
                "foo: unknown key, ignored (line 2)");
    }

    @Test
    void durationsTakeUnits() throws Exception {
        ServerConfig c = ServerConfig.parse("interval: 1m\ngrace: 500ms\nforget_after: 7d\n");
        assertThat(c.interval()).isEqualTo(60);
        assertThat(c.grace()).isEqualTo(0.5);
        assertThat(c.forgetAfter()).isEqualTo(7 * 86400);
    }

    @Test
    void historyKeepsSamplesTwoDaysAndFiveMinutePointsAWeekUnlessTold() throws Exception {
        HistoryConfig d = ServerConfig.defaults().history();
        assertThat(d.file()).isEqualTo(UserHome.dir().resolve(".hb-history.db"));
        assertThat(d.raw()).isEqualTo(2 * 86400);
        assertThat(d.retention()).isEqualTo(7 * 86400);
        assertThat(d.resolution()).isEqualTo(300);

        HistoryConfig c = ServerConfig.parse("""
                history:
                  file: /var/lib/heartbeat/history.db
                  raw: 6h
                  retention: 30d
                  resolution: 1m
                """).history();
        assertThat(c).isEqualTo(new HistoryConfig(Path.of("/var/lib/heartbeat/history.db"), 6 * 3600, 30 * 86400, 60,
                64, 1000, 2048));
        assertThat(ServerConfig.parse("history:\n  retention: 1d\n").history().raw())
                .as("raw defaults to at most the retention").isEqualTo(86400);
    }

    @Test
    void historyMistakesAreNamed() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ServerConfig.parse("""
                history:
                  raw: 10d
                  retention: 7d
                  resolution: 2s
                """));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "history.resolution: must be between 10 and 86400 seconds, got 2 (line 4)",
                "history.raw: must not be longer than retention (604800 s) (line 2)");
        assertThat(catchThrowableOfType(ConfigException.class, () -> ServerConfig.parse("history: 7d\n"))
                .problems()).extracting(ConfigProblem::toString)
                .containsExactly("history: expected a mapping of keys (indented lines of key: value) (line 1)");
    }

    @Test
    void hostsSectionIsRead() throws Exception {
        ServerConfig c = ServerConfig.parse("""
                hosts:
                  router1: {}
                  web1:
                    interval: 10
                    grace: 5
                    key: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
                    owner: alice
                    depends_on: router1
                    tags: [web, prod]
                """);
        HostConfig web1 = c.hosts().get("web1");
        assertThat(web1.interval()).isEqualTo(10);
        assertThat(web1.grace()).isEqualTo(5);
        assertThat(web1.key()).isNotNull();
        assertThat(web1.owner()).isEqualTo("alice");
        assertThat(web1.dependsOn()).containsExactly("router1");
        assertThat(web1.tags()).containsExactly("web", "prod");
        HostConfig router = c.hosts().get("router1");
        assertThat(router.interval()).isZero();
        assertThat(router.grace()).isNegative();
        assertThat(router.key()).isNull();
        assertThat(c.toString()).doesNotContain("AAECAwQF");
        assertThat(web1.toString()).doesNotContain("AAECAwQF");
    }

    @Test
    void aBadHostNameIsRefused() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ServerConfig.parse("hosts:\n  \"web/1\": {}\n"));
        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly("hosts.web/1");
    }

    @Test
    void clashingPortsAreRefused() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ServerConfig.parse("hb_port: 6000\nhbd_port: 6000\n"));
        assertThat(e.getMessage()).contains("must differ");
    }

    @Test
    void duplicateKeysAreRefused() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ServerConfig.parse("interval: 10\ninterval: 20\n"));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly("interval: appears twice (line 2)");
    }

    @Test
    void brokenYamlIsRefusedWithItsLine() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ServerConfig.parse("interval: 10\n  grace: [2\n"));
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).line()).isGreaterThan(0);
        assertThat(e.problems().get(0).message()).startsWith("not valid YAML");
    }

    @Test
    void theTutorialsChannelsAndUsersAreRead() throws Exception {
        ServerConfig c = ServerConfig.parse("""
                notification_channels:
                  pushover_ops:
                    type: pushover
                    token: YOUR_APP_TOKEN
                    user: YOUR_USER_KEY
                users:
                  alice:
                    password: pbkdf2:sha256:1000$abcdefgh12345678$ff230943be408e59715ba0b36f988109dfd4ca63f15795889319022646a88364
                    admin: true
                    notification_channels: [pushover_ops]
                default_owner: alice
                thresholds:
                  cpu_monitor:
                    cpu_percent:
                      warning: 80.0
                      critical: 90.0
                """);
        assertThat(c.defaultOwner()).isEqualTo("alice");
        assertThat(c.notificationChannels()).containsKey("pushover_ops");
        assertThat(c.warnings()).isEmpty();
        assertThat(c.notificationChannels().get("pushover_ops").type()).isEqualTo("pushover");
        assertThat(c.notificationChannels().get("pushover_ops").settings())
                .containsEntry("token", "YOUR_APP_TOKEN").containsEntry("user", "YOUR_USER_KEY");
        assertThat(c.users().get("alice").admin()).isTrue();
        assertThat(c.users().get("alice").channels()).containsExactly("pushover_ops");
        assertThat(c.toString()).doesNotContain("YOUR_APP_TOKEN");
        assertThat(c.notificationChannels().toString()).doesNotContain("YOUR_APP_TOKEN");
        assertThat(c.users().toString()).doesNotContain("pbkdf2");
        assertThat(PasswordHash.parse(c.users().get("alice").password()).verify("correct horse")).isTrue();
    }

    @Test
    void aPasswordThatIsNotAHashIsRefusedWithoutQuotingIt() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ServerConfig.parse("""
                users:
                  alice:
                    password: hunter2
                  bob:
                    password: scrypt:32768:8:1$q9X0kd0ySB5OUnw1$0f6d1c6a55d8e8f9
                """));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "users.alice.password: not a password hash: expected pbkdf2:sha256:ITERATIONS$SALT$HASH (make one"
                        + " with: hbd passwd NAME) (line 3)",
                "users.bob.password: scrypt hashes are not supported; make a pbkdf2 hash with: hbd passwd NAME (or"
                        + " with Werkzeug: generate_password_hash(password, method=\"pbkdf2:sha256:600000\")) (line 5)");
        assertThat(e.getMessage()).doesNotContain("hunter2", "q9X0kd0y");
    }

    @Test
    void theTokenFileIsBesideTheStateFileAndMetricsArePrivateByDefault() throws Exception {
        ServerConfig defaults = ServerConfig.parse("pickfile: /var/lib/heartbeat/state.pick\n");
        assertThat(defaults.tokenfile()).isEqualTo(Path.of("/var/lib/heartbeat/.hb.tokens"));
        assertThat(defaults.metricsPublic()).isFalse();
        ServerConfig set = ServerConfig.parse("tokenfile: /etc/heartbeat/tokens\nmetrics_public: true\n");
        assertThat(set.tokenfile()).isEqualTo(Path.of("/etc/heartbeat/tokens"));
        assertThat(set.metricsPublic()).isTrue();
    }

    @Test
    void browserSessionsLastHalfAnHourIdleUnlessConfigured() throws Exception {
        assertThat(ServerConfig.parse("").sessionIdleTimeout()).isEqualTo(1800);
        assertThat(ServerConfig.parse("session_idle_timeout: 8h\n").sessionIdleTimeout()).isEqualTo(8 * 3600);
        assertThat(catchThrowableOfType(ConfigException.class,
                () -> ServerConfig.parse("session_idle_timeout: 5s\n"))).hasMessageContaining("session_idle_timeout");
    }

    @Test
    void theConsoleIsLocalUnlessConfiguredAndTakesThreeWords() throws Exception {
        assertThat(ServerConfig.parse("").console()).isEqualTo("localhost");
        assertThat(ServerConfig.parse("console: off\n").console()).isEqualTo("off");
        assertThat(ServerConfig.parse("console: On\n").console()).isEqualTo("on");
        assertThat(ServerConfig.parse("console: localhost\n").console()).isEqualTo("localhost");
        assertThat(catchThrowableOfType(ConfigException.class, () -> ServerConfig.parse("console: everyone\n")))
                .hasMessageContaining("console").hasMessageContaining("off, localhost or on");
    }

    @Test
    void channelMistakesAreNamedAndNestedKeysFlattened() throws Exception {
        ServerConfig c = ServerConfig.parse("""
                notification_channels:
                  mail:
                    type: email
                    to: [ops@example.com, oncall@example.com]
                    smtp:
                      host: mail.example.com
                      port: 587
                notify_after: 3
                base_url: https://hb.example.com/
                """);
        assertThat(c.notificationChannels().get("mail").settings())
                .containsEntry("smtp.host", "mail.example.com").containsEntry("smtp.port", 587L)
                .containsEntry("to", java.util.List.of("ops@example.com", "oncall@example.com"));
        assertThat(c.alerting().notifyAfter()).isEqualTo(3);
        assertThat(c.alerting().baseUrl()).isEqualTo("https://hb.example.com");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ServerConfig.parse("""
                notification_channels:
                  phone:
                    token: abc
                users:
                  bob:
                    notification_channels: [pager]
                notify_after: 0
                """));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "notification_channels.phone.type: missing: which kind of channel (pushover, email, mattermost,"
                        + " matrix, signal, voipms) (line 3)",
                "users.bob.notification_channels: \"pager\" is not in notification_channels: (line 6)",
                "notify_after: must be between 1 and 100, got 0 (line 7)");
    }

    @Test
    void eventsAndMaxIntervalHaveDefaultsAndRanges() throws Exception {
        ServerConfig defaults = ServerConfig.parse("");
        assertThat(defaults.maxInterval()).isEqualTo(86_400);
        assertThat(defaults.events().retention()).isEqualTo(90 * 86_400);
        assertThat(defaults.events().maxSizeMb()).isEqualTo(256);
        assertThat(defaults.events().dir().toString()).endsWith(".hb-events");

        ServerConfig set = ServerConfig.parse("max_interval: 2h\nevents:\n  dir: /var/lib/hb/events\n  retention: 30d\n"
                + "  max_size_mb: 64\n");
        assertThat(set.maxInterval()).isEqualTo(7200);
        assertThat(set.events().dir()).isEqualTo(Path.of("/var/lib/hb/events"));
        assertThat(set.events().retention()).isEqualTo(30 * 86_400);
        assertThat(set.events().maxSizeMb()).isEqualTo(64);

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ServerConfig.parse("events:\n  max_size_mb: 0\n  colour: red\n"));
        assertThat(e.problems()).extracting(ConfigProblem::key).contains("events.max_size_mb");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ServerConfig.load(missing));
        assertThat(e.getMessage()).isEqualTo(missing + ": no such file");
    }

    @Test
    void secretsInAFileOthersCanReadEarnAWarning(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hb.yaml");
        Files.writeString(file, "hosts:\n  web1:\n    key: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(ServerConfig.load(file).warnings()).anyMatch(w -> w.message().contains("chmod 600"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(ServerConfig.load(file).warnings()).isEmpty();
    }
}
