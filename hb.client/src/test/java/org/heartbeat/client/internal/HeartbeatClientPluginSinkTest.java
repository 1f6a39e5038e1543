package org.heartbeat.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.lang.annotation.Annotation;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.heartbeat.protocol.ClientMessage;
import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.heartbeat.protocol.PluginData;
import org.heartbeat.protocol.PluginError;
import org.heartbeat.protocol.Values;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link HeartbeatClient} as the scheduler's {@link PluginSink}: what reaches a server's socket. */
class HeartbeatClientPluginSinkTest {
    private final RecordingLogger log = new RecordingLogger();
    private DatagramSocket server;
    private HeartbeatClient client;
    private long heartbeatSeq;

    @BeforeEach
    void setUp() throws Exception {
        server = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.setSoTimeout(5000);
        client = new HeartbeatClient(settings("127.0.0.1:" + server.getLocalPort()), log.logger);
        heartbeatSeq = ((Heartbeat) receive()).seq();
    }

    @AfterEach
    void tearDown() throws Exception {
        client.deactivate();
        server.close();
    }

    @Test
    void aSmallSampleIsOneDatagramAfterTheHeartbeat() throws Exception {
        client.sendPluginSample("cpu_monitor", 60_000, Map.of("cpu_percent", 12.5, "cores", 4L));

        PluginData d = (PluginData) receive();
        assertThat(d.host()).isEqualTo("unit-host");
        assertThat(d.plugin()).isEqualTo("cpu_monitor");
        assertThat(d.intervalMillis()).isEqualTo(60_000);
        assertThat(d.part()).isZero();
        assertThat(d.parts()).isEqualTo(1);
        assertThat(d.seq()).isGreaterThan(heartbeatSeq);
        assertThat(Values.decode(d.fragment())).isEqualTo(Map.of("cpu_percent", 12.5, "cores", 4L));
    }

    @Test
    void aLargeSampleIsSplitIntoPartsWithConsecutiveSequenceNumbers() throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            values.put("k" + i, "v".repeat(1000));
        }

        client.sendPluginSample("big", 10_000, values);

        List<PluginData> parts = new ArrayList<>();
        parts.add((PluginData) receive());
        while (parts.size() < parts.get(0).parts()) {
            parts.add((PluginData) receive());
        }
        assertThat(parts).hasSize(3);
        ByteArrayOutputStream tree = new ByteArrayOutputStream();
        for (int i = 0; i < parts.size(); i++) {
            assertThat(parts.get(i).part()).isEqualTo(i);
            assertThat(parts.get(i).seq()).isEqualTo(parts.get(0).seq() + i);
            tree.write(parts.get(i).fragment());
        }
        assertThat(Values.decode(tree.toByteArray())).isEqualTo(values);
    }

    @Test
    void anErrorIsOnePluginErrorDatagram() throws Exception {
        client.sendPluginError("disk_monitor", 30_000, "collection timed out after 30 s and was interrupted");

        PluginError e = (PluginError) receive();
        assertThat(e.plugin()).isEqualTo("disk_monitor");
        assertThat(e.intervalMillis()).isEqualTo(30_000);
        assertThat(e.message()).isEqualTo("collection timed out after 30 s and was interrupted");
        assertThat(e.seq()).isGreaterThan(heartbeatSeq);
    }

    @Test
    void aSampleOfMoreThan64DatagramsIsRefusedAndNothingIsSent() throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            values.put("k" + i, "v".repeat(1000));
        }

        assertThatThrownBy(() -> client.sendPluginSample("huge", 10_000, values))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 datagrams");
        client.sendPluginError("huge", 10_000, "marker");
        assertThat(receive()).as("the next datagram is the marker, no part of the sample")
                .isInstanceOf(PluginError.class);
    }

    /** The next datagram that is not a heartbeat (the client sends its second one at a random time). */
    private ClientMessage receive() throws Exception {
        byte[] buf = new byte[2048];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                server.receive(p);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("nothing received", e);
            }
            ClientMessage m = (ClientMessage) Datagrams.decode(ByteBuffer.wrap(buf, 0, p.getLength()));
            if (!(m instanceof Heartbeat) || heartbeatSeq == 0) {
                return m;
            }
        }
    }

    private static ClientSettings settings(String server) {
        return new ClientSettings() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ClientSettings.class;
            }

            @Override
            public String[] servers() {
                return new String[] {server};
            }

            @Override
            public int port() {
                return 50003;
            }

            @Override
            public double interval() {
                return 60;
            }

            @Override
            public String name() {
                return "unit-host";
            }

            @Override
            public String keyFile() {
                return "";
            }

            @Override
            public boolean boot() {
                return false;
            }
        };
    }
}
