package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ~}, {@code ~/.hb.yaml} and {@code ~/.hbc.yaml} mean {@code $HOME}, as in a shell, even when Java's
 * {@code user.home} (from the password database) says otherwise.
 */
class HomeTest {
    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    /** bin/hbd or bin/hbc with HOME set to {@code home} and Java's user.home to another directory. */
    private static RunningProcess run(Path dir, Path home, Path elsewhere, Path program, String... args)
            throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(program.toString()));
        cmd.addAll(List.of(args));
        String opts = "-Duser.home=" + elsewhere;
        return RunningProcess.start(program.getFileName().toString(), dir, cmd,
                Map.of("HOME", home.toString(), "HBD_JAVA_OPTS", opts, "HBC_JAVA_OPTS", opts));
    }

    @Test
    void hbdReadsTheHbYamlOfHomeAndResolvesTildeInItsPathsThere(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path elsewhere = Files.createDirectories(dir.resolve("user.home"));
        Files.writeString(home.resolve(".hb.yaml"), "hb_port: 50123\nhbd_port: 50124\nws_port: 50125\n"
                + "pidfile: ~/run/hb.pid\n");
        Files.writeString(elsewhere.resolve(".hb.yaml"), "hb_port: 40000\n");

        RunningProcess check = run(dir, home, elsewhere, Dist.HBD, "serve", "--check");
        assertThat(check.awaitExit(Duration.ofSeconds(20))).as(check.output()).isZero();
        assertThat(check.output()).startsWith(home.resolve(".hb.yaml") + ": OK (UDP 50123, HTTP 50124, WS 50125");

        RunningProcess stop = run(dir, home, elsewhere, Dist.HBD, "stop");
        assertThat(stop.awaitExit(Duration.ofSeconds(20))).as(stop.output()).isZero();
        assertThat(stop.output()).contains("pidfile " + home.resolve("run/hb.pid"));
    }

    @Test
    void hbcReadsTheHbcYamlOfHome(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path elsewhere = Files.createDirectories(dir.resolve("user.home"));
        Files.writeString(home.resolve(".hbc.yaml"), "interval: often\n");

        RunningProcess hbc = run(dir, home, elsewhere, Dist.HBC, "127.0.0.1");

        assertThat(hbc.awaitExit(Duration.ofSeconds(20))).as(hbc.output()).isEqualTo(2);
        assertThat(hbc.output()).contains("hbc: " + home.resolve(".hbc.yaml")
                + ": interval: expected a number of seconds, got \"often\"");
    }
}
