package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hbd in the background: pidfile, logfile, reload without restart, stop. */
class DaemonTest {
    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    @Test
    void serveDaemonizesAndReloadAndStopFindItThroughThePidfile(@TempDir Path dir) throws Exception {
        Path config = Hbd.writeConfig(dir, "interval: 1\ngrace: 1\nplugin_dir: " + Dist.HOME.resolve("plugins/hbd")
                + "\n");
        Path pidfile = dir.resolve("hb.pid");
        Path logfile = dir.resolve("hb.log");

        RunningProcess serve = Clients.hbd(dir, "serve", "-c", config.toString());
        assertThat(serve.awaitExit(Duration.ofSeconds(60))).isZero();
        assertThat(serve.output()).containsPattern("Heartbeat daemon starting on UDP :\\d+, HTTP :\\d+, WS :\\d+")
                .contains("running in the background as pid");
        long pid = Long.parseLong(Files.readString(pidfile).strip());
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(logfile).contains("Heartbeat daemon starting"));

            RunningProcess again = Clients.hbd(dir, "serve", "-c", config.toString());
            assertThat(again.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(again.output()).contains("already running as pid " + pid);

            Files.writeString(config, Files.readString(config) + "hosts:\n  added-by-reload: {}\n",
                    StandardCharsets.UTF_8);
            RunningProcess reload = Clients.hbd(dir, "reload", "-c", config.toString());
            assertThat(reload.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(reload.output()).as("the daemon's answer, read from its log").endsWith("reloaded\n");
            assertThat(Files.readString(logfile)).contains("reloaded configuration from " + config);

            // a channel key the installed channel does not have: only the daemon can tell, and the command says so
            Files.writeString(config, Files.readString(config) + "users:\n  alice:\n    admin: true\n"
                    + "    notification_channels: [chat]\nnotification_channels:\n  chat:\n    type: mattermost\n"
                    + "    url: http://127.0.0.1:9/hooks/x\n    chanel: ops\n", StandardCharsets.UTF_8);
            java.nio.file.Files.setPosixFilePermissions(config,
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            // (FileInstall installs the shipped channels within seconds of the start: until then it is accepted)
            java.util.concurrent.atomic.AtomicReference<RunningProcess> last =
                    new java.util.concurrent.atomic.AtomicReference<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                RunningProcess r = Clients.hbd(dir, "reload", "-c", config.toString());
                last.set(r);
                return r.awaitExit(Duration.ofSeconds(30)) == 1;
            });
            RunningProcess refused = last.get();
            assertThat(refused.output()).contains("reload refused, the running configuration stays")
                    .contains("mattermost has no key chanel");
            Files.writeString(config, Files.readString(config).replace("    chanel: ops\n", ""),
                    StandardCharsets.UTF_8);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("no restart").hasValue(true);

            Files.writeString(config, Files.readString(config).replace("grace: 1", "grace: [1"),
                    StandardCharsets.UTF_8);
            RunningProcess badReload = Clients.hbd(dir, "reload", "-c", config.toString());
            assertThat(badReload.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(badReload.output()).contains("not reloading: the running daemon keeps its configuration");
        } finally {
            Files.writeString(config, Files.readString(config).replace("grace: [1", "grace: 1"), StandardCharsets.UTF_8);
            RunningProcess stop = Clients.hbd(dir, "stop", "-c", config.toString());
            assertThat(stop.awaitExit(Duration.ofSeconds(40))).isZero();
            assertThat(stop.output()).contains("hbd (pid " + pid + ") stopped");
        }
        assertThat(pidfile).doesNotExist();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Files.readString(dir.resolve("hb.pick"))).startsWith("{\"format\":\"heartbeat-state\"");
    }
}
