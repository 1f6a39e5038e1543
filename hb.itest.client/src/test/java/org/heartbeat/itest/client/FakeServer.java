package org.heartbeat.itest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.heartbeat.protocol.Ack;
import org.heartbeat.protocol.ClientMessage;
import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.heartbeat.protocol.MalformedDatagramException;
import org.heartbeat.protocol.PluginData;
import org.heartbeat.protocol.PluginError;
import org.heartbeat.protocol.Values;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A Heartbeat server as small as a test needs: a UDP socket on a free port that decodes everything the
 * client sends with the real codec, keeps it with its arrival time, and ACKs heartbeats. One per framework:
 * the first test to ask points the running client at it through ConfigAdmin, as a reload would.
 */
final class FakeServer {
    /** The client's heartbeat interval in the test configuration (itest-hbc.yaml). */
    static final long INTERVAL_MILLIS = 1000;
    /**
     * How late a heartbeat may arrive and still count as on schedule: generous, for a loaded machine, yet below
     * one interval, so that a heartbeat missed (a gap of two intervals) always shows.
     */
    static final long TOLERANCE_MILLIS = 900;

    /** A datagram as it arrived. */
    record Received(ClientMessage message, long nanos) {
    }

    /** A plugin sample, decoded. */
    record Sample(String plugin, Map<String, Object> values, long intervalMillis, long nanos) {
    }

    private static FakeServer instance;

    private final DatagramSocket socket;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> malformed = new CopyOnWriteArrayList<>();

    private FakeServer() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(this::receive, "itest-fake-server");
        t.setDaemon(true);
        t.start();
    }

    /** The server, started and heard from on the first call. */
    static synchronized FakeServer get(ConfigurationAdmin configAdmin) throws IOException {
        if (instance == null) {
            FakeServer server = new FakeServer();
            Configuration client = configAdmin.getConfiguration("org.heartbeat.client", "?");
            Dictionary<String, Object> properties = client.getProperties();
            properties.put("servers", new String[] {"127.0.0.1:" + server.socket.getLocalPort()});
            client.update(properties);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.heartbeats().size() >= 2);
            instance = server;
        }
        return instance;
    }

    private void receive() {
        byte[] buf = new byte[2048];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                return;
            }
            long now = System.nanoTime();
            try {
                ClientMessage m = (ClientMessage) Datagrams.decode(ByteBuffer.wrap(buf, 0, p.getLength()));
                received.add(new Received(m, now));
                if (m instanceof Heartbeat hb) {
                    byte[] ack = Datagrams.encode(new Ack(hb.seq(), System.currentTimeMillis(), List.of()), null);
                    socket.send(new DatagramPacket(ack, ack.length, p.getSocketAddress()));
                }
            } catch (MalformedDatagramException | ClassCastException | IOException e) {
                malformed.add(e.toString() + " in " + Arrays.toString(Arrays.copyOf(buf, p.getLength())));
            }
        }
    }

    /** Everything received so far, in order of arrival. */
    List<Received> received() {
        return List.copyOf(received);
    }

    List<Received> heartbeats() {
        return received.stream().filter(r -> r.message() instanceof Heartbeat).toList();
    }

    /** The samples of {@code plugin} (all fit one datagram: the test plugins are small). */
    List<Sample> samples(String plugin) {
        return received.stream().filter(r -> r.message() instanceof PluginData d && d.plugin().equals(plugin))
                .map(r -> {
                    PluginData d = (PluginData) r.message();
                    assertThat(d.parts()).isEqualTo(1);
                    try {
                        return new Sample(plugin, Values.decode(d.fragment()), d.intervalMillis(), r.nanos());
                    } catch (MalformedDatagramException e) {
                        throw new AssertionError(e);
                    }
                }).toList();
    }

    /** The messages of the PLUGIN_ERRORs about {@code plugin}. */
    List<String> errors(String plugin) {
        return received.stream().filter(r -> r.message() instanceof PluginError e && e.plugin().equals(plugin))
                .map(r -> ((PluginError) r.message()).message()).toList();
    }

    /** Everything about {@code plugin}, samples and errors, that arrived after {@code sinceNanos}. */
    List<Received> about(String plugin, long sinceNanos) {
        return received.stream().filter(r -> r.nanos() > sinceNanos)
                .filter(r -> r.message() instanceof PluginData d && d.plugin().equals(plugin)
                        || r.message() instanceof PluginError e && e.plugin().equals(plugin))
                .toList();
    }

    /**
     * Checks that every heartbeat between {@code fromNanos} and {@code toNanos} arrived on schedule: none
     * missing (no gap longer than the interval plus {@link #TOLERANCE_MILLIS}), sequence numbers increasing,
     * and as many as the window holds.
     */
    void assertHeartbeatsOnSchedule(long fromNanos, long toNanos) {
        List<Received> window = heartbeats().stream().filter(r -> r.nanos() >= fromNanos && r.nanos() <= toNanos)
                .toList();
        long windowMillis = TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
        assertThat(window.size()).as("heartbeats in %d ms", windowMillis)
                .isGreaterThanOrEqualTo((int) (windowMillis / INTERVAL_MILLIS) - 1);
        long previous = fromNanos;
        long previousSeq = Long.MIN_VALUE;
        for (Received r : window) {
            long gap = TimeUnit.NANOSECONDS.toMillis(r.nanos() - previous);
            assertThat(gap).as("heartbeat %d ms after the previous one", gap)
                    .isLessThanOrEqualTo(INTERVAL_MILLIS + TOLERANCE_MILLIS);
            long seq = ((Heartbeat) r.message()).seq();
            assertThat(seq).isGreaterThan(previousSeq);
            previous = r.nanos();
            previousSeq = seq;
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(toNanos - previous)).as("time since the last heartbeat")
                .isLessThanOrEqualTo(INTERVAL_MILLIS + TOLERANCE_MILLIS);
        assertThat(malformed).as("datagrams the codec refused").isEmpty();
    }
}
