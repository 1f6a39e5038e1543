package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nagios's own check_http polling hbd's /api/check reads the state from the status code as
 * docs/NAGIOS_INTEGRATION.md says: OK while a host reports, WARNING for a value past its warning range, CRITICAL once
 * the host is overdue.
 */
class CheckHttpTest {
    private static final Path CHECK_HTTP = Path.of("/usr/lib/nagios/plugins/check_http");

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
        assertThat(CHECK_HTTP).as("check_http (Debian: monitoring-plugins-basic; ./test installs it)").exists();
    }

    private static RunningProcess checkHttp(Path dir, Hbd hbd, String uri) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CHECK_HTTP.toString(), "-H", "127.0.0.1", "-p",
                Integer.toString(hbd.httpPort), "-u", uri));
        return RunningProcess.start("check_http", dir, cmd);
    }

    @Test
    void checkHttpTakesTheStateFromTheStatusCode(@TempDir Path dir) throws Exception {
        try (Hbd hbd = Hbd.start(dir, "interval: 1\ngrace: 1\n"); DatagramSocket socket = new DatagramSocket()) {
            long now = System.currentTimeMillis();
            byte[] hb = Datagrams.encode(Heartbeat.of("web1", now * 1000, now, 60_000), null);
            socket.send(new DatagramPacket(hb, hb.length, InetAddress.getLoopbackAddress(), hbd.udpPort));
            for (byte[] part : Datagrams.encodePluginSample("web1", now, 60_000, "cpu_monitor",
                    Map.of("cpu_percent", 91.5), null, n -> now * 1000 + 1)) {
                socket.send(new DatagramPacket(part, part.length, InetAddress.getLoopbackAddress(), hbd.udpPort));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> hbd.status("web1").equals("up")
                    && hbd.get("/api/hosts/web1/plugins").body().path("plugins").has("cpu_monitor"));

            RunningProcess up = checkHttp(dir, hbd, "/api/check/web1");
            assertThat(up.awaitExit(Duration.ofSeconds(20))).isZero();
            RunningProcess warning = checkHttp(dir, hbd,
                    "/api/check/web1?plugin=cpu_monitor&metric=/cpu_percent&warning=80&critical=95");
            assertThat(warning.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
            assertThat(hbd.page("/api/check/web1?plugin=cpu_monitor&metric=/cpu_percent&warning=80&critical=95")
                    .body()).startsWith("HEARTBEAT WARNING - cpu_monitor of web1: /cpu_percent = 91.5");

            // a host announcing a 1 s interval is overdue 2 s after its only heartbeat
            byte[] fast = Datagrams.encode(Heartbeat.of("web2", now * 1000, now, 1000), null);
            socket.send(new DatagramPacket(fast, fast.length, InetAddress.getLoopbackAddress(), hbd.udpPort));
            await().atMost(Duration.ofSeconds(10)).until(() -> hbd.status("web2").equals("overdue"));
            RunningProcess overdue = checkHttp(dir, hbd, "/api/check/web2");
            assertThat(overdue.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
            assertThat(overdue.output()).contains("503");
        }
    }
}
