package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** The tutorial's steps 3 to 5 with the real programs: a server, a client with no configuration, silence. */
class QuickStartTest {
    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    @Test
    void aClientWithoutConfigurationShowsUpAndIsOverdueOnTimeWhenItStops(@TempDir Path dir) throws Exception {
        try (Hbd hbd = Hbd.start(dir, "interval: 1\ngrace: 1\n");
                RunningProcess hbc = Clients.hbc(dir, "-i", "1", "-n", "e2e-java", "127.0.0.1:" + hbd.udpPort)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> hbd.status("e2e-java").equals("up"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !hbd.host("e2e-java").orElseThrow().path("rtt_ms").isNull());
            JsonNode up = hbd.host("e2e-java").orElseThrow();
            assertThat(up.path("address").asText()).isEqualTo("127.0.0.1");
            assertThat(up.path("interval").asInt()).isEqualTo(1);
            assertThat(up.path("rtt_ms").asDouble()).isPositive().isLessThan(1000);

            hbc.stop();
            await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(50))
                    .until(() -> hbd.status("e2e-java").equals("overdue"));
            JsonNode overdue = hbd.host("e2e-java").orElseThrow();
            long gap = Duration.between(Instant.parse(overdue.path("last_seen").asText()),
                    Instant.parse(overdue.path("overdue_since").asText())).toMillis();
            assertThat(gap).as("overdue exactly interval + grace after the last heartbeat").isBetween(1990L, 2050L);
            // the log line follows the status: the event reaches the log's listener once it is in the journal
            await().atMost(Duration.ofSeconds(5)).until(() -> hbd.log().contains("e2e-java is overdue"));

            Hbd.Page live = hbd.page("/live");
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.contentType()).startsWith("text/html");
            assertThat(live.body()).contains("<title>Heartbeat: live</title>", "src=\"static/live.js\"");
        }
    }

    @Test
    void theServerPrintsTheTutorialsLineWithThePortsBound(@TempDir Path dir) throws Exception {
        // port 0: hbd binds free ports itself, and the line says which
        try (Hbd hbd = Hbd.start(dir, "hb_port: 0\nhbd_port: 0\nws_port: 0\n")) {
            assertThat(List.of(hbd.udpPort, hbd.httpPort, hbd.wsPort)).allMatch(p -> p > 0).doesNotHaveDuplicates();
            assertThat(hbd.get("/api/hosts").status()).as("HTTP on the port printed").isEqualTo(200);
            try (Socket ws = new Socket(InetAddress.getLoopbackAddress(), hbd.wsPort)) {
                assertThat(ws.isConnected()).as("WS on the port printed").isTrue();
            }
            try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                byte[] hb = Datagrams.encode(new Heartbeat("e2e-ports", 1, System.currentTimeMillis(), 20_000,
                        -1, 0, false, 0), null);
                udp.send(new DatagramPacket(hb, hb.length, InetAddress.getLoopbackAddress(), hbd.udpPort));
                await().atMost(Duration.ofSeconds(5)).until(() -> hbd.status("e2e-ports").equals("up"));
            }
        }
    }

    @Test
    void helpAndVersionAnswerWithoutStartingARuntime(@TempDir Path dir) throws Exception {
        for (String[] args : new String[][] {{"--help"}, {"--version"}, {"serve", "--help"}}) {
            RunningProcess p = Clients.hbd(dir, args);
            assertThat(p.awaitExit(Duration.ofSeconds(10))).isZero();
            // what only a running runtime logs
            assertThat(p.output()).doesNotContain("listening for heartbeats", "configuration from");
        }
        RunningProcess version = Clients.hbd(dir, "--version");
        version.awaitExit(Duration.ofSeconds(10));
        assertThat(version.output()).startsWith("hbd (Heartbeat) ");
        RunningProcess hbcHelp = Clients.hbc(dir, "--help");
        assertThat(hbcHelp.awaitExit(Duration.ofSeconds(10))).isZero();
        assertThat(hbcHelp.output()).contains("-b, --boot", "-d, --daemon", "-k, --key", "-n, --name");
    }
}
