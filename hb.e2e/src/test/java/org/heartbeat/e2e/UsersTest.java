package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/USERS.md end to end against the real bin/hbd: a password made by {@code hbd passwd}, HTTP Basic, a token made
 * by {@code hbd token create} and revoked by {@code hbd token revoke} (seen by the running daemon without reload),
 * {@code hbd check --token}, {@code metrics_public} through {@code hbd reload}, and 429 after too many wrong passwords.
 */
class UsersTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern TOKEN = Pattern.compile("hbt_[A-Za-z0-9_-]{43}");

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    private static HttpResponse<String> get(Hbd hbd, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hbd.httpPort + path))
                .timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static RunningProcess hbdWithStdin(Path dir, String input, String... args) throws Exception {
        Path in = Files.writeString(dir.resolve("stdin-" + System.nanoTime()), input, StandardCharsets.UTF_8);
        String command = "exec \"$0\" \"$@\" < " + in;
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", "-c", command, Dist.HBD.toString()));
        cmd.addAll(List.of(args));
        return RunningProcess.start("hbd", dir, cmd, Map.of("HOME", dir.toString()));
    }

    /** The hash {@code hbd passwd USER} prints for {@code password} (read from standard input), checked to exit 0. */
    static String passwordHash(Path dir, String user, String password) throws Exception {
        RunningProcess passwd = hbdWithStdin(dir, password + "\n", "passwd", user);
        assertThat(passwd.awaitExit(Duration.ofSeconds(30))).as(passwd.output()).isZero();
        return passwd.output().strip();
    }

    @Test
    void usersTokensAndLimits(@TempDir Path dir) throws Exception {
        RunningProcess passwd = hbdWithStdin(dir, "s3cret horse\n", "passwd", "alice");
        assertThat(passwd.awaitExit(Duration.ofSeconds(30))).as(passwd.output()).isZero();
        String hash = passwd.output().strip();
        assertThat(hash).matches("pbkdf2:sha256:600000\\$[A-Za-z0-9]{16}\\$[0-9a-f]{64}");

        try (Hbd hbd = Hbd.start(dir, "users:\n  alice:\n    password: " + hash + "\n    admin: true\n");
                DatagramSocket socket = new DatagramSocket()) {
            hbd.pinPorts();
            String config = hbd.config.toString();

            HttpResponse<String> anonymous = get(hbd, "/api/status", null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"hbd\"");
            assertThat(anonymous.body()).startsWith("{\"status\":401,\"error\":\"authentication required");
            assertThat(get(hbd, "/metrics", null).statusCode()).isEqualTo(401);
            HttpResponse<String> live = get(hbd, "/live", null);
            assertThat(live.statusCode()).as("a page goes to the login page").isEqualTo(303);
            assertThat(live.headers().firstValue("Location")).contains("/login?next=%2Flive");

            assertThat(get(hbd, "/api/status", basic("alice", "s3cret horse")).statusCode()).isEqualTo(200);
            assertThat(get(hbd, "/metrics", basic("alice", "s3cret horse")).statusCode()).isEqualTo(200);

            RunningProcess create = Clients.hbd(dir, "token", "create", "-c", config, "alice", "--name", "e2e");
            assertThat(create.awaitExit(Duration.ofSeconds(30))).as(create.output()).isZero();
            Matcher m = TOKEN.matcher(create.output());
            assertThat(m.find()).as(create.output()).isTrue();
            String token = m.group();
            assertThat(Files.readString(dir.resolve(".hb.tokens"))).doesNotContain(token);
            assertThat(get(hbd, "/api/hosts", "Bearer " + token).statusCode()).isEqualTo(200);

            long now = System.currentTimeMillis();
            byte[] hb = Datagrams.encode(Heartbeat.of("web1", now * 1000, now, 60_000), null);
            socket.send(new DatagramPacket(hb, hb.length, InetAddress.getLoopbackAddress(), hbd.udpPort));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> get(hbd, "/api/hosts/web1", "Bearer " + token).statusCode() == 200);
            RunningProcess check = Clients.hbd(dir, "check", "-c", config, "--token", token, "web1");
            assertThat(check.awaitExit(Duration.ofSeconds(30))).as(check.output()).isZero();
            assertThat(check.output()).startsWith("HEARTBEAT OK - web1 is up");
            RunningProcess fromEnvironment = RunningProcess.start("hbd", dir, List.of(Dist.HBD.toString(), "check",
                    "-c", config, "web1"), Map.of("HOME", dir.toString(), "HB_TOKEN", token));
            assertThat(fromEnvironment.awaitExit(Duration.ofSeconds(30))).as(fromEnvironment.output()).isZero();
            RunningProcess without = Clients.hbd(dir, "check", "-c", config, "web1");
            assertThat(without.awaitExit(Duration.ofSeconds(30))).isEqualTo(3);
            assertThat(without.output()).contains("give one with --token or HB_TOKEN");

            RunningProcess list = Clients.hbd(dir, "token", "list", "-c", config);
            assertThat(list.awaitExit(Duration.ofSeconds(30))).isZero();
            String id = list.output().lines().filter(l -> l.contains("e2e")).findFirst().orElseThrow().split(" ")[0];
            RunningProcess revoke = Clients.hbd(dir, "token", "revoke", "-c", config, id);
            assertThat(revoke.awaitExit(Duration.ofSeconds(30))).as(revoke.output()).isZero();
            assertThat(get(hbd, "/api/hosts", "Bearer " + token).statusCode()).as("revoked, no reload")
                    .isEqualTo(401);

            Files.writeString(hbd.config, Files.readString(hbd.config) + "metrics_public: true\n");
            RunningProcess reload = Clients.hbd(dir, "reload", "-c", config);
            assertThat(reload.awaitExit(Duration.ofSeconds(30))).as(reload.output()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> get(hbd, "/metrics", null).statusCode() == 200);
            assertThat(get(hbd, "/api/status", null).statusCode()).isEqualTo(401);

            // a guesser: a few wrong passwords answer 401, then 429 before any hash is computed, the right one too
            int refused = 0;
            HttpResponse<String> last;
            do {
                last = get(hbd, "/api/status", basic("alice", "guess" + refused));
                refused++;
            } while (last.statusCode() == 401 && refused < 20);
            assertThat(last.statusCode()).as("after " + refused + " attempts").isEqualTo(429);
            assertThat(refused).isBetween(5, 7);
            assertThat(last.headers().firstValue("Retry-After")).isPresent();
            assertThat(get(hbd, "/api/status", basic("alice", "s3cret horse")).statusCode()).isEqualTo(429);
            assertThat(hbd.log()).doesNotContain("s3cret", hash, token, "guess");
        }
    }
}
