package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tutorial's steps 6 and 7 against the real bin/hbd and its shipped Pushover channel, talking to a local
 * Pushover that checks requests as pushover.net documents them: the YAML pasted as printed, {@code hbd passwd alice},
 * {@code hbd reload}, {@code hbd notify}; then a host that stops, recovers and crosses the tutorial's thresholds, and
 * the lifecycle commands ({@code hbd alerts}, {@code ack}, {@code silence}, {@code unsilence}).
 */
class AlertingTest {
    static final String TOKEN = "azGDORePK8gMaC0QOYAMyEEuzJnyUi";
    static final String USER = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG";
    static final Pattern API_TOKEN = Pattern.compile("hbt_[A-Za-z0-9_-]{43}");

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    private final AtomicLong seq = new AtomicLong(System.currentTimeMillis() * 1000);

    private RunningProcess hbdCommand(Path dir, String stdin, Map<String, String> env, String... args)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        if (stdin != null) {
            Path in = Files.writeString(dir.resolve("stdin-" + System.nanoTime()), stdin, StandardCharsets.UTF_8);
            cmd.addAll(List.of("bash", "-c", "exec \"$0\" \"$@\" < " + in, Dist.HBD.toString()));
        } else {
            cmd.add(Dist.HBD.toString());
        }
        cmd.addAll(List.of(args));
        java.util.HashMap<String, String> e = new java.util.HashMap<>(env);
        e.put("HOME", dir.toString());
        return RunningProcess.start("hbd " + args[0], dir, cmd, e);
    }

    private void heartbeat(DatagramSocket socket, Hbd hbd, String host) throws Exception {
        byte[] d = Datagrams.encode(Heartbeat.of(host, seq.getAndIncrement(), System.currentTimeMillis(), 1000),
                null);
        socket.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), hbd.udpPort));
    }

    private void cpu(DatagramSocket socket, Hbd hbd, String host, double percent) throws Exception {
        for (byte[] part : Datagrams.encodePluginSample(host, System.currentTimeMillis(), 60_000, "cpu_monitor",
                Map.of("cpu_percent", percent), null, n -> seq.getAndAdd(n))) {
            socket.send(new DatagramPacket(part, part.length, InetAddress.getLoopbackAddress(), hbd.udpPort));
        }
    }

    @Test
    void theTutorialsStepsSixAndSeven(@TempDir Path dir) throws Exception {
        try (LocalPushover pushover = new LocalPushover(TOKEN, USER);
                DatagramSocket socket = new DatagramSocket();
                Hbd hbd = Hbd.start(dir, "interval: 1\ngrace: 1\nplugin_dir: " + Dist.HOME.resolve("plugins/hbd")
                        + "\n")) {
            hbd.pinPorts();
            String config = hbd.config.toString();

            // step 6: hbd passwd alice, then the YAML as printed (plus where the local Pushover listens)
            RunningProcess passwd = hbdCommand(dir, "correct horse\n", Map.of(), "passwd", "alice");
            assertThat(passwd.awaitExit(Duration.ofSeconds(30))).as(passwd.output()).isZero();
            String hash = passwd.output().strip();
            String step6 = """
                    notification_channels:
                      pushover_ops:
                        type: pushover
                        token: YOUR_APP_TOKEN
                        user: YOUR_USER_KEY
                        api_url: PUSHOVER
                    users:
                      alice:
                        password: HASH # generate: hbd passwd alice
                        admin: true
                        notification_channels: [pushover_ops]
                    default_owner: alice
                    """.replace("YOUR_APP_TOKEN", TOKEN).replace("YOUR_USER_KEY", USER)
                    .replace("PUSHOVER", pushover.url()).replace("HASH", hash);
            Files.writeString(hbd.config, Files.readString(hbd.config) + step6);
            Files.setPosixFilePermissions(hbd.config, java.nio.file.attribute.PosixFilePermissions.fromString(
                    "rw-------"));
            RunningProcess reload = hbdCommand(dir, null, Map.of(), "reload", "-c", config);
            assertThat(reload.awaitExit(Duration.ofSeconds(30))).as(reload.output()).isZero();
            hbd.process.awaitLine("reloaded configuration", Duration.ofSeconds(20));

            // the API now wants credentials: a token for alice
            RunningProcess create = hbdCommand(dir, null, Map.of(), "token", "create", "-c", config, "alice");
            assertThat(create.awaitExit(Duration.ofSeconds(30))).as(create.output()).isZero();
            Matcher m = API_TOKEN.matcher(create.output());
            assertThat(m.find()).as(create.output()).isTrue();
            Map<String, String> auth = Map.of("HB_TOKEN", m.group());

            RunningProcess noToken = hbdCommand(dir, null, Map.of(), "notify", "-c", config);
            assertThat(noToken.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(noToken.output()).contains("HB_TOKEN");

            // Test the channel: hbd notify
            RunningProcess notify = await().atMost(Duration.ofSeconds(30)).until(() -> {
                RunningProcess n = hbdCommand(dir, null, auth, "notify", "-c", config);
                n.awaitExit(Duration.ofSeconds(60));
                return n;
            }, n -> n.output().contains("pushover_ops: delivered"));
            assertThat(notify.awaitExit(Duration.ofSeconds(1))).isZero();
            assertThat(pushover.messages).singleElement().satisfies(msg -> {
                assertThat(msg.title()).isEqualTo("Heartbeat test message");
                assertThat(msg.text()).contains("pushover_ops");
            });

            // a host that stops is told (notify_after 2 by default: its second deadline), and its recovery
            for (int i = 0; i < 3; i++) {
                heartbeat(socket, hbd, "web1");
                Thread.sleep(300); // the client's own pace, not a wait for hbd
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> pushover.titles().contains("web1 is overdue"));
            LocalPushover.Message overdue = pushover.messages.get(pushover.titles().indexOf("web1 is overdue"));
            assertThat(overdue.form()).containsEntry("token", TOKEN).containsEntry("user", USER);
            assertThat(overdue.text()).contains("no heartbeat since");

            RunningProcess alerts = hbdCommand(dir, null, auth, "alerts", "-c", config);
            assertThat(alerts.awaitExit(Duration.ofSeconds(30))).as(alerts.output()).isZero();
            assertThat(alerts.output()).contains("CRITICAL  web1/overdue");
            RunningProcess ack = hbdCommand(dir, null, auth, "ack", "-c", config, "web1", "--comment", "on it");
            assertThat(ack.awaitExit(Duration.ofSeconds(30))).as(ack.output()).isZero();
            assertThat(ack.output()).contains("acknowledged web1/overdue");
            RunningProcess listed = hbdCommand(dir, null, auth, "alerts", "-c", config);
            listed.awaitExit(Duration.ofSeconds(30));
            assertThat(listed.output()).contains("[acknowledged by alice]");

            heartbeat(socket, hbd, "web1");
            await().atMost(Duration.ofSeconds(15)).until(() -> pushover.titles().contains("web1 recovered"));

            // step 7: the thresholds block verbatim, hbd reload, and a value past it
            Files.writeString(hbd.config, Files.readString(hbd.config) + """
                    thresholds:
                      cpu_monitor:
                        cpu_percent:
                          warning: 80.0
                          critical: 90.0
                      disk_monitor:
                        partitions:
                          /:
                            percent:
                              warning: 80.0
                              critical: 90.0
                    """);
            RunningProcess reload2 = hbdCommand(dir, null, Map.of(), "reload", "-c", config);
            assertThat(reload2.awaitExit(Duration.ofSeconds(30))).as(reload2.output()).isZero();
            await().atMost(Duration.ofSeconds(20)).until(() -> hbd.log().split("reloaded configuration", -1).length
                    == 3);
            heartbeat(socket, hbd, "db1");
            cpu(socket, hbd, "db1", 97.5);
            await().atMost(Duration.ofSeconds(15)).until(
                    () -> pushover.titles().contains("db1: cpu_monitor /cpu_percent CRITICAL"));
            String critical = pushover.messages.get(pushover.titles().indexOf("db1: cpu_monitor /cpu_percent CRITICAL"))
                    .text();
            assertThat(critical).contains("97.5").contains("90");

            // silence db1: its recovery and its next alert wait; unsilence lets what is still active through
            RunningProcess silence = hbdCommand(dir, null, auth, "silence", "-c", config, "db1", "1h", "--reason",
                    "maintenance");
            assertThat(silence.awaitExit(Duration.ofSeconds(30))).as(silence.output()).isZero();
            Matcher id = Pattern.compile("hbd unsilence (\\S+)\\)").matcher(silence.output());
            assertThat(id.find()).as(silence.output()).isTrue();
            String warning = "db1: cpu_monitor /cpu_percent WARNING";
            cpu(socket, hbd, "db1", 85); // down to WARNING: kept, not told while silenced
            await().atMost(Duration.ofSeconds(20)).until(() -> alerts(dir, auth, config).contains(
                    "WARNING  db1/threshold/cpu_monitor/cpu_percent"));
            assertThat(alerts(dir, auth, config)).contains("[silenced]").contains("silence " + id.group(1) + ": db1");
            assertThat(pushover.titles()).doesNotContain(warning);
            RunningProcess unsilence = hbdCommand(dir, null, auth, "unsilence", "-c", config, id.group(1));
            assertThat(unsilence.awaitExit(Duration.ofSeconds(30))).as(unsilence.output()).isZero();
            await().atMost(Duration.ofSeconds(15)).until(() -> pushover.titles().contains(warning));

            assertThat(pushover.problems).isEmpty();
            assertThat(hbd.log()).doesNotContain(TOKEN).doesNotContain(USER).doesNotContain(hash)
                    .doesNotContain(m.group());
        }
    }

    /** {@code hbd alerts}' output. */
    private String alerts(Path dir, Map<String, String> auth, String config) throws Exception {
        RunningProcess p = hbdCommand(dir, null, auth, "alerts", "-c", config);
        p.awaitExit(Duration.ofSeconds(30));
        return p.output();
    }
}
