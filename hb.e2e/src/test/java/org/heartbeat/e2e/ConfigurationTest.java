package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configuration mistake is refused before anything starts, with the key and the line named. */
class ConfigurationTest {
    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    @Test
    void hbdRefusesAMistakeNamingKeyAndLine(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("hb.yaml");
        Files.writeString(config, "hb_port: 0\nhbd_port: 0\nws_port: 0\ninterval: 20\ngrace: two\n");
        RunningProcess serve = Clients.hbd(dir, "serve", "-f", "-c", config.toString());
        assertThat(serve.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
        assertThat(serve.output()).contains(config + ": grace: expected a number of seconds, got \"two\" (line 5)")
                .doesNotContain("Heartbeat daemon starting");

        RunningProcess check = Clients.hbd(dir, "serve", "--check", "-c", config.toString());
        assertThat(check.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
        assertThat(check.output()).contains("grace: expected a number of seconds");
    }

    @Test
    void hbdAcceptsTheTutorialsFileAndWarnsAboutUnknownKeys(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("hb.yaml");
        Files.writeString(config, """
                hb_port: 50003 # UDP port — clients send heartbeats here
                hbd_port: 50004 # HTTP port — web dashboard and API
                ws_port: 50005 # WebSocket port — live dashboard updates
                interval: 20 # Expected heartbeat interval (seconds)
                grace: 2 # Seconds of slack before a host is considered overdue
                pickfile: ~/.hb.pick
                pidfile: ~/.hb.pid
                logfile: ~/.hb.log
                intervall: 5
                """);
        RunningProcess check = Clients.hbd(dir, "serve", "--check", "-c", config.toString());
        assertThat(check.awaitExit(Duration.ofSeconds(20))).isZero();
        assertThat(check.output()).contains(": OK (UDP 50003, HTTP 50004, WS 50005")
                .contains("intervall: unknown key, ignored; did you mean \"interval\"? (line 9)");
    }

    @Test
    void hbcRefusesAMistakeNamingKeyAndLine(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("hbc.yaml");
        Files.writeString(config, "hb_port: 50003\nplugins:\n  cpu_monitor:\n    interval: soon\n");
        RunningProcess hbc = Clients.hbc(dir, "-c", config.toString(), "127.0.0.1");
        assertThat(hbc.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
        assertThat(hbc.output())
                .contains("plugins.cpu_monitor.interval: expected a number of seconds, got \"soon\" (line 4)");
    }

    @Test
    void hbcRefusesBadOptionsWithAReason(@TempDir Path dir) throws Exception {
        RunningProcess noServer = Clients.hbc(dir);
        assertThat(noServer.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
        assertThat(noServer.output()).contains("no server given");
        RunningProcess badName = Clients.hbc(dir, "-n", "two words", "127.0.0.1");
        assertThat(badName.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
        assertThat(badName.output()).contains("--name");
        RunningProcess noKey = Clients.hbc(dir, "-k", dir.resolve("missing.key").toString(), "127.0.0.1");
        assertThat(noKey.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
        assertThat(noKey.output()).contains("cannot use key file");
    }
}
