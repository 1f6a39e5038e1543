package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the launcher promises about starting: no 404 while starting or stopping, a clear exit when a port is taken,
 * and {@code listen} for every port.
 */
class StartupTest {
    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    @Test
    void whileStartingOrStoppingTheApiAnswers503WithRetryAfterAndNever404(@TempDir Path dir) throws Exception {
        // a first start binds free ports; the second, watched from its first moment, binds the same again
        Path config;
        int http;
        try (Hbd first = Hbd.start(dir, "")) {
            first.pinPorts();
            config = first.config;
            http = first.httpPort;
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<String> answers = new CopyOnWriteArrayList<>();
        AtomicBoolean polling = new AtomicBoolean(true);
        Thread poller = new Thread(() -> {
            while (polling.get()) {
                try {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + http + "/api/hosts")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    answers.add(r.statusCode() + " " + r.headers().firstValue("Retry-After").orElse("-") + " "
                            + r.body());
                } catch (ConnectException e) {
                    answers.add("refused");
                } catch (Exception e) {
                    answers.add("error " + e);
                }
            }
        });
        poller.start();
        try (Hbd hbd = Hbd.startWith(dir, config)) {
            int before = answers.size();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> answers.size() > before + 3);
        } finally {
            polling.set(false);
            poller.join();
        }
        // In order: refused until the port opens; the gate's 503 while hbd starts; 200 once ready; 503 again while
        // it stops; refused. Never a resource answering before the gate is in front of it, never our 404. One
        // exception, Felix HTTP's own: it opens the port a moment before its whiteboard dispatches and closes it a
        // moment after, and within that moment (milliseconds) its dispatcher answers a bare 404, or Jetty a bare 500
        // when the connection closes under the request (docs/HTTP_API.md)
        StringBuilder phases = new StringBuilder();
        for (String a : answers) {
            phases.append(a.equals("refused") || a.startsWith("error java.io.IOException") ? 'R'
                    : a.startsWith("503 1 {\"status\":503,\"error\":\"hbd is not ready") ? 'G'
                    : a.startsWith("200 ") ? 'O'
                    : a.startsWith("404 ") && a.contains("<h2>HTTP ERROR 404 Not Found</h2>") ? 'N'
                    // Jetty's own page when the connection closes under a request as the port shuts (seen once)
                    : a.startsWith("500 ") && a.contains("<h2>HTTP ERROR 500 org.eclipse.jetty.io.EofException</h2>")
                            ? 'N'
                    : 'X');
        }
        String seen = phases.toString().replaceAll("(.)\\1*", "$1");
        System.out.println("start and stop as a client saw them: " + phases.toString().replaceAll("R{2,}", "R..."));
        assertThat(phases.toString()).as("refused, 503, 200, 404 from Felix's dispatcher: %s; in order: %s; "
                + "others: %s", phases.chars().filter(c -> c == 'N').count(), seen,
                answers.stream().filter(a -> !a.equals("refused") && !a.startsWith("200") && !a.startsWith("503")
                        && !a.startsWith("error java.io.IOException")).limit(3).toList())
                // how many of Felix's 404s fit in that moment depends on the machine's load (10 were seen with the
                // build of other modules running beside): the order is the promise, not the count
                .matches("R*N*G*O+G*N*R*");
    }

    @Test
    void aUdpPortInUseEndsTheStartWithAMessageThatNamesIt(@TempDir Path dir) throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("0.0.0.0", 0))) {
            int port = taken.getLocalPort();
            Path config = Hbd.writeConfig(dir, "hb_port: " + port + "\n");
            RunningProcess hbd = Clients.hbd(dir, "serve", "-c", config.toString(), "-f");
            assertThat(hbd.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
            assertThat(hbd.output()).contains("hbd: cannot listen for heartbeats on UDP :" + port)
                    .doesNotContain("Heartbeat daemon starting");
        }
    }

    @Test
    void listenAppliesToTheHttpAndWebSocketPortsToo(@TempDir Path dir) throws Exception {
        try (Hbd hbd = Hbd.start(dir, "listen: 127.0.0.1\n")) {
            for (int port : new int[] {hbd.httpPort, hbd.wsPort}) {
                try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
                    assertThat(s.isConnected()).isTrue();
                }
                // 127.0.0.2 is this machine too, but not the address the operator named
                try (Socket s = new Socket()) {
                    org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> s.connect(new InetSocketAddress("127.0.0.2", port), 2000))
                            .as("port " + port + " on another local address").isInstanceOf(ConnectException.class);
                }
            }
        }
    }
}
