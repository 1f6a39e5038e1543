package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.heartbeat.protocol.Ack;
import org.heartbeat.protocol.Command;
import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.heartbeat.protocol.HostKey;
import org.heartbeat.protocol.Message;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real hbc against a server played by the test, which answers with the commands of PROTOCOL.md
 * section 7 and watches what the client does.
 */
class CommandsTest {
    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    /** The server side: receives heartbeats, answers with ACKs. */
    private static final class FakeServer implements AutoCloseable {
        final DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        final HostKey key;
        SocketAddress client;

        FakeServer(HostKey key) throws IOException {
            this.key = key;
        }

        int port() {
            return socket.getLocalPort();
        }

        /** The next heartbeat, with the time it arrived (ms), within {@code timeout}; fails otherwise. */
        Received next(Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new AssertionError("no heartbeat within " + timeout);
                }
                socket.setSoTimeout((int) left);
                byte[] buf = new byte[2048];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                Message m = Datagrams.decode(ByteBuffer.wrap(Arrays.copyOf(buf, p.getLength())));
                if (m instanceof Heartbeat hb) {
                    client = p.getSocketAddress();
                    return new Received(hb, System.nanoTime() / 1_000_000);
                }
            }
        }

        void ack(Heartbeat hb, List<Command> commands, boolean signed) throws IOException {
            byte[] d = Datagrams.encode(new Ack(hb.seq(), System.currentTimeMillis(), commands), signed ? key : null);
            socket.send(new DatagramPacket(d, d.length, client));
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private record Received(Heartbeat heartbeat, long atMillis) {
    }

    @Test
    void setIntervalAndPingAreExecutedOnceEach(@TempDir Path dir) throws Exception {
        try (FakeServer server = new FakeServer(null);
                RunningProcess hbc = Clients.hbc(dir, "-i", "5", "-n", "e2e-cmd", "127.0.0.1:" + server.port())) {
            Received first = server.next(Duration.ofSeconds(20));
            assertThat(first.heartbeat().intervalMillis()).isEqualTo(5000);
            assertThat(first.heartbeat().commandsDone()).isZero();

            server.ack(first.heartbeat(), List.of(new Command(1, "set-interval", "1")), false);
            Received announced = server.next(Duration.ofSeconds(10));
            assertThat(announced.atMillis() - first.atMillis()).as("a heartbeat at once, not after the old 5 s")
                    .isLessThan(4000);
            assertThat(announced.heartbeat().intervalMillis()).isEqualTo(1000);
            assertThat(announced.heartbeat().commandsDone()).isEqualTo(1);

            // the same command again (the server repeats it until cmd_done reports it) is not run again
            server.ack(announced.heartbeat(), List.of(new Command(1, "set-interval", "1")), false);
            Received a = server.next(Duration.ofSeconds(10));
            Received b = server.next(Duration.ofSeconds(10));
            assertThat(b.atMillis() - a.atMillis()).as("heartbeats every new interval, not every 5 s")
                    .isBetween(300L, 3000L);
            assertThat(b.heartbeat().commandsDone()).isEqualTo(1);
            assertThat(b.heartbeat().rttMicros()).as("the ACKs were measured").isPositive();

            // a long interval, then a ping: the pinged heartbeat comes long before the interval would bring one
            server.ack(b.heartbeat(), List.of(new Command(2, "set-interval", "60")), false);
            Received slow = server.next(Duration.ofSeconds(10));
            assertThat(slow.heartbeat().intervalMillis()).isEqualTo(60_000);
            server.ack(slow.heartbeat(), List.of(new Command(3, "ping", "")), false);
            Received pinged = server.next(Duration.ofSeconds(20));
            assertThat(pinged.heartbeat().commandsDone()).isEqualTo(3);
            assertThat(pinged.atMillis() - slow.atMillis()).as("sent for the ping, not for the 60 s interval")
                    .isLessThan(25_000);
        }
    }

    @Test
    void aClientWithAKeyIgnoresUnsignedCommands(@TempDir Path dir) throws Exception {
        HostKey key = HostKey.generate();
        Path keyFile = dir.resolve("cmd.key");
        Files.writeString(keyFile, key.toBase64() + "\n");
        try (FakeServer server = new FakeServer(key);
                RunningProcess hbc = Clients.hbc(dir, "-i", "2", "-k", keyFile.toString(), "-n", "e2e-cmd-signed",
                        "127.0.0.1:" + server.port())) {
            Received first = server.next(Duration.ofSeconds(20));
            server.ack(first.heartbeat(), List.of(new Command(1, "set-interval", "1")), false);
            Received next = server.next(Duration.ofSeconds(10));
            assertThat(next.atMillis() - first.atMillis()).as("no heartbeat at once: the command was ignored")
                    .isGreaterThanOrEqualTo(500);
            assertThat(next.heartbeat().intervalMillis()).isEqualTo(2000);
            assertThat(next.heartbeat().commandsDone()).isZero();
            assertThat(next.heartbeat().hasRtt()).as("an unsigned ACK is not believed").isFalse();

            server.ack(next.heartbeat(), List.of(new Command(1, "set-interval", "1")), true);
            Received obeyed = server.next(Duration.ofSeconds(10));
            assertThat(obeyed.heartbeat().intervalMillis()).isEqualTo(1000);
            assertThat(obeyed.heartbeat().commandsDone()).isEqualTo(1);
        }
    }
}
