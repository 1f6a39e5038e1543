package org.heartbeat.server.internal.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Map;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.heartbeat.protocol.HostKey;
import org.heartbeat.server.internal.Components;
import org.junit.jupiter.api.Test;

class PeerBeaconTest {
    @Test
    void sendsSignedHeartbeatsUnderItsNameToEachPeerWithRisingSequenceNumbers() throws Exception {
        HostKey key = HostKey.generate();
        try (DatagramChannel peer = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int port = ((InetSocketAddress) peer.getLocalAddress()).getPort();
            Components.RecordingLogger log = new Components.RecordingLogger();
            PeerBeacon beacon = new PeerBeacon(Components.config(PeerSettings.class, Map.of(
                    "peers", new String[] {"127.0.0.1:" + port}, "name", "hb1", "interval", 1.0,
                    "_key", key.toBase64())), log.logger);
            try {
                peer.socket().setSoTimeout(5000);
                Heartbeat first = receive(peer);
                Heartbeat second = receive(peer);
                assertThat(first.host()).isEqualTo("hb1");
                assertThat(first.intervalMillis()).isEqualTo(1000);
                assertThat(Long.compareUnsigned(second.seq(), first.seq())).isPositive();
                assertThat(Duration.ofMillis(second.timeMillis() - first.timeMillis()))
                        .isBetween(Duration.ofMillis(500), Duration.ofMillis(3000));
                assertThat(log.lines).anyMatch(l -> l.contains("heartbeats as") && l.contains("(signed)"));
            } finally {
                beacon.deactivate();
            }
        }
    }

    @Test
    void anUnresolvablePeerIsNamedNotFatal() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> PeerBeacon.address("no-such-host.invalid:50003"))).hasMessageContaining("cannot resolve");
        assertThat(PeerBeacon.address("[::1]:50003").getPort()).isEqualTo(50003);
    }

    private static Heartbeat receive(DatagramChannel peer) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(2048);
        peer.configureBlocking(true);
        // a blocking receive, bounded by the socket timeout above through the adaptor
        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[2048], 2048);
        peer.socket().receive(p);
        buf.put(p.getData(), 0, p.getLength()).flip();
        assertThat(Datagrams.signed(buf.duplicate())).isTrue();
        return (Heartbeat) Datagrams.decode(buf);
    }
}
