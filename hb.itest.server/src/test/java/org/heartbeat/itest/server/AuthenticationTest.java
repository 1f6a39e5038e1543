package org.heartbeat.itest.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;

import org.heartbeat.protocol.Ack;
import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.heartbeat.protocol.HostKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;

/**
 * The host "signed-host" has a key in the test configuration: only datagrams signed with it count, each
 * only once, and only while fresh; the ACK is signed too. A refused datagram is never answered.
 */
class AuthenticationTest {
    private static final Duration NO_ANSWER = Duration.ofMillis(600);

    @InjectBundleContext
    BundleContext context;

    private HbdUnderTest hbd;
    private long seq = System.currentTimeMillis() * 1000 + 500_000;

    @BeforeEach
    void connect() throws Exception {
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
            hbd = new HbdUnderTest(context);
            return true;
        });
    }

    @AfterEach
    void close() {
        hbd.close();
    }

    private Heartbeat heartbeat(long timeMillis) {
        return new Heartbeat("signed-host", seq++, timeMillis, 1000, -1, 0, false, 0);
    }

    @Test
    void aCorrectlySignedHeartbeatGetsASignedAck() throws Exception {
        Heartbeat hb = heartbeat(System.currentTimeMillis());
        hbd.send(Datagrams.encode(hb, HbdUnderTest.SIGNED_HOST_KEY));
        byte[] answer = hbd.receive(Duration.ofSeconds(5)).orElseThrow();
        assertThat(HbdUnderTest.SIGNED_HOST_KEY.verify(ByteBuffer.wrap(answer))).isTrue();
        assertThat(((Ack) Datagrams.decode(ByteBuffer.wrap(answer))).seq()).isEqualTo(hb.seq());
        assertThat(hbd.host("signed-host").orElseThrow().path("authenticated").asBoolean()).isTrue();
    }

    @Test
    void unsignedIsDroppedUnanswered() throws Exception {
        long before = hbd.counter("dropped_unsigned");
        hbd.send(Datagrams.encode(heartbeat(System.currentTimeMillis()), null));
        assertThat(hbd.receive(NO_ANSWER)).isEmpty();
        assertThat(hbd.counter("dropped_unsigned")).isEqualTo(before + 1);
    }

    @Test
    void signedWithAnotherKeyIsDroppedUnanswered() throws Exception {
        long before = hbd.counter("dropped_bad_mac");
        hbd.send(Datagrams.encode(heartbeat(System.currentTimeMillis()), HostKey.generate()));
        assertThat(hbd.receive(NO_ANSWER)).isEmpty();
        assertThat(hbd.counter("dropped_bad_mac")).isEqualTo(before + 1);
    }

    @Test
    void aTamperedDatagramIsDroppedUnanswered() throws Exception {
        byte[] d = Datagrams.encode(heartbeat(System.currentTimeMillis()), HbdUnderTest.SIGNED_HOST_KEY);
        d[d.length - 40] ^= 0x01;
        long before = hbd.counter("dropped_bad_mac");
        hbd.send(d);
        assertThat(hbd.receive(NO_ANSWER)).isEmpty();
        assertThat(hbd.counter("dropped_bad_mac")).isEqualTo(before + 1);
    }

    @Test
    void aReplayIsDroppedUnanswered() throws Exception {
        byte[] d = Datagrams.encode(heartbeat(System.currentTimeMillis()), HbdUnderTest.SIGNED_HOST_KEY);
        hbd.send(d);
        assertThat(hbd.receive(Duration.ofSeconds(5))).isPresent();
        long before = hbd.counter("dropped_replayed");
        hbd.send(d);
        assertThat(hbd.receive(NO_ANSWER)).isEmpty();
        assertThat(hbd.counter("dropped_replayed")).isEqualTo(before + 1);
    }

    @Test
    void aSignedDatagramFromOutsideTheTimeWindowIsDroppedUnanswered() throws Exception {
        long before = hbd.counter("dropped_stale");
        long tenMinutesAgo = System.currentTimeMillis() - 600_000;
        hbd.send(Datagrams.encode(heartbeat(tenMinutesAgo), HbdUnderTest.SIGNED_HOST_KEY));
        assertThat(hbd.receive(NO_ANSWER)).isEmpty();
        assertThat(hbd.counter("dropped_stale")).isEqualTo(before + 1);
    }

    @Test
    void theKeyOfOneHostCannotSpeakForAnother() throws Exception {
        // configured-host has no key, so in open mode anyone may speak for it; the reverse must not hold:
        // a datagram naming signed-host, signed with a key made for someone else, is refused.
        HostKey someoneElses = HostKey.generate();
        long before = hbd.counter("dropped_bad_mac");
        hbd.send(Datagrams.encode(heartbeat(System.currentTimeMillis()), someoneElses));
        assertThat(hbd.receive(NO_ANSWER)).isEmpty();
        assertThat(hbd.counter("dropped_bad_mac")).isEqualTo(before + 1);
    }
}
