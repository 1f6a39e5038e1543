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
    /** A second host with a key of its own in the test configuration. */
    private static final String SECOND_HOST = "signed-host-b";
    private static final HostKey SECOND_HOST_KEY = HostKey.parse("ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=");

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
        // both hosts have keys; each key is valid, but only for its own host
        long before = hbd.counter("dropped_bad_mac");
        Heartbeat forB = new Heartbeat(SECOND_HOST, seq++, System.currentTimeMillis(), 1000, -1, 0, false, 0);
        hbd.send(Datagrams.encode(forB, HbdUnderTest.SIGNED_HOST_KEY));
        assertThat(hbd.receive(NO_ANSWER)).isEmpty();
        hbd.send(Datagrams.encode(heartbeat(System.currentTimeMillis()), SECOND_HOST_KEY));
        assertThat(hbd.receive(NO_ANSWER)).isEmpty();
        assertThat(hbd.counter("dropped_bad_mac")).isEqualTo(before + 2);

        Ack ack = hbd.exchange(Datagrams.encode(new Heartbeat(SECOND_HOST, seq++, System.currentTimeMillis(), 1000, -1, 0,
                false, 0), SECOND_HOST_KEY), Duration.ofSeconds(5));
        assertThat(ack.seq()).isEqualTo(seq - 1);
        assertThat(hbd.host(SECOND_HOST).orElseThrow().path("authenticated").asBoolean()).isTrue();
    }
}
