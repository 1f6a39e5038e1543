package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.heartbeat.protocol.HostKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} at random moments: a restarted hbd neither forgets that a host went overdue nor reports it again,
 * and refuses a replay of a signed heartbeat it accepted before the kill (docs/design/events-and-state.md).
 */
class CrashTest {
    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private final Random random = new Random();

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    private static long overdueEvents(Hbd hbd, String host) throws Exception {
        return hbd.get("/api/events?type=overdue&host=" + host).body().size();
    }

    private static void beat(DatagramSocket socket, int port, byte[] datagram) throws Exception {
        socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), port));
    }

    @Test
    void aKillAtAnyMomentNeitherForgetsNorRepeatsAnOverdue(@TempDir Path dir) throws Exception {
        String yaml = "interval: 1\ngrace: 1\n"; // the state file is written every 30 s: only the journal knows
        Hbd hbd = Hbd.start(dir, yaml);
        hbd.pinPorts(); // a restart listens where the clients send
        Path config = hbd.config;
        try (DatagramSocket socket = new DatagramSocket()) {
            for (int round = 0; round < 6; round++) {
                String host = "victim-" + round;
                long now = System.currentTimeMillis();
                beat(socket, hbd.udpPort, Datagrams.encode(Heartbeat.of(host, now * 1000, now, 1000), null));
                Hbd running = hbd;
                await().atMost(Duration.ofSeconds(5)).until(() -> running.host(host).isPresent());
                // kill somewhere around the deadline (2 s after the heartbeat): before the overdue, while it is
                // being written, or after it was written and handed on
                Thread.sleep(1600 + random.nextInt(900)); // a random moment, not a wait for a condition
                hbd.process.kill();
                hbd = Hbd.startWith(dir, config);
                Hbd restarted = hbd;
                await().atMost(Duration.ofSeconds(10)).until(() -> restarted.status(host).equals("overdue")
                        && overdueEvents(restarted, host) >= 1);
                // another interval plus grace and then some: still one report, never two
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                        .until(() -> overdueEvents(restarted, host) == 1);
            }
        } finally {
            hbd.close();
        }
    }

    @Test
    void aReplayOfASignedHeartbeatAcceptedBeforeAKillIsRefusedAfterTheRestart(@TempDir Path dir) throws Exception {
        String yaml = "hosts:\n  signed:\n    key: " + KEY + "\n";
        HostKey key = HostKey.parse(KEY);
        Hbd hbd = Hbd.start(dir, yaml);
        hbd.pinPorts(); // a restart listens where the clients send
        Path config = hbd.config;
        Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        // sequence numbers rise strictly: two heartbeats within one millisecond must not share one (a replay)
        java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
        java.util.function.LongUnaryOperator next = now -> seq.updateAndGet(last -> Math.max(last + 1, now * 1000));
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(3000);
            for (int round = 0; round < 5; round++) {
                long now = System.currentTimeMillis();
                byte[] signed = Datagrams.encode(Heartbeat.of("signed", next.applyAsLong(now), now, 20_000), key);
                beat(socket, hbd.udpPort, signed);
                receive(socket); // the ACK: the heartbeat was accepted
                Thread.sleep(random.nextInt(600)); // the kill comes at a random moment after it
                hbd.process.kill();
                hbd = Hbd.startWith(dir, config);

                long replayedBefore = hbd.get("/api/status").body().path("datagrams").path("dropped_replayed").asLong();
                beat(socket, hbd.udpPort, signed);
                socket.setSoTimeout(800);
                assertThat(tryReceive(socket)).as("no answer to a replay (round " + round + ")").isNull();
                socket.setSoTimeout(3000);
                Hbd restarted = hbd;
                await().atMost(Duration.ofSeconds(5)).until(() -> restarted.get("/api/status").body()
                        .path("datagrams").path("dropped_replayed").asLong() == replayedBefore + 1);

                long later = System.currentTimeMillis();
                beat(socket, hbd.udpPort, Datagrams.encode(Heartbeat.of("signed", next.applyAsLong(later), later,
                        20_000), key));
                receive(socket); // a new heartbeat is answered
            }
        } finally {
            hbd.close();
        }
    }

    private static byte[] receive(DatagramSocket socket) throws Exception {
        byte[] answer = tryReceive(socket);
        assertThat(answer).as("an ACK").isNotNull();
        return answer;
    }

    private static byte[] tryReceive(DatagramSocket socket) throws Exception {
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
            return java.util.Arrays.copyOf(buf, p.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        }
    }
}
