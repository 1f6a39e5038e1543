package org.heartbeat.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** One server of the client: how its name is given, and the bookkeeping of heartbeats that wait for an ACK. */
class ServerLinkTest {
    private static final int DEFAULT_PORT = 4242;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final ServerLink link = new ServerLink("hb.example.com", 50003);

    // ---------------------------------------------------------------- parse

    @TestFactory
    Stream<DynamicTest> acceptedServerNames() {
        return Stream.of(
                accepted("hb.example.com", "hb.example.com", DEFAULT_PORT),
                accepted("hb.example.com:6000", "hb.example.com", 6000),
                accepted("10.0.0.1:1", "10.0.0.1", 1),
                accepted("10.0.0.1:65535", "10.0.0.1", 65535),
                accepted("[::1]", "::1", DEFAULT_PORT),
                accepted("[2001:db8::1]:6000", "2001:db8::1", 6000),
                accepted("2001:db8::1", "2001:db8::1", DEFAULT_PORT),
                accepted("::1", "::1", DEFAULT_PORT),
                accepted("fe80::1%eth0", "fe80::1%eth0", DEFAULT_PORT),
                accepted("  hb.example.com:6000 \t", "hb.example.com", 6000));
    }

    private static DynamicTest accepted(String spec, String host, int port) {
        return dynamicTest("\"" + spec + "\"", () -> {
            ServerLink parsed = ServerLink.parse(spec, DEFAULT_PORT);
            assertThat(parsed.host).isEqualTo(host);
            assertThat(parsed.port).isEqualTo(port);
        });
    }

    @TestFactory
    Stream<DynamicTest> refusedServerNames() {
        return Stream.of("hb.example.com:0", "hb.example.com:65536", "hb.example.com:-1", "hb.example.com:abc",
                "hb.example.com:", "hb.example.com:60x", "hb.example.com: 60", "[::1]:0", "[::1]:65536", "[::1]:abc",
                "[::1]:", "[::1", "[::1]6000", "[::1]x:6000")
                .map(spec -> dynamicTest("\"" + spec + "\"", () -> assertThatIllegalArgumentException()
                        .isThrownBy(() -> ServerLink.parse(spec, DEFAULT_PORT))
                        .withMessageContaining(spec)));
    }

    @Test
    void portMistakesSayWhatAPortIs() {
        assertThatIllegalArgumentException().isThrownBy(() -> ServerLink.parse("a:70000", DEFAULT_PORT))
                .withMessageContaining("1 to 65535");
    }

    @Test
    void anEmptyNameIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> ServerLink.parse("", DEFAULT_PORT))
                .withMessageContaining("empty");
        assertThatIllegalArgumentException().isThrownBy(() -> ServerLink.parse(" \t ", DEFAULT_PORT))
                .withMessageContaining("empty");
    }

    /**
     * A name with a port but no host is a mistake, not a way to say localhost (which is what
     * InetAddress.getByName("") would make of it).
     */
    @TestFactory
    Stream<DynamicTest> aPortWithoutHostIsRefused() {
        return Stream.of(":6000", "[]", "[]:6000").map(spec -> dynamicTest("\"" + spec + "\"",
                () -> assertThatIllegalArgumentException().isThrownBy(() -> ServerLink.parse(spec, DEFAULT_PORT))));
    }

    @Test
    void toStringBracketsIpv6Addresses() {
        assertThat(ServerLink.parse("2001:db8::1", DEFAULT_PORT)).hasToString("[2001:db8::1]:4242");
        assertThat(ServerLink.parse("[::1]:6000", DEFAULT_PORT)).hasToString("[::1]:6000");
        assertThat(ServerLink.parse("hb.example.com", DEFAULT_PORT)).hasToString("hb.example.com:4242");
    }

    @Test
    void resolvingALiteralAddressRemembersIt() throws Exception {
        ServerLink local = ServerLink.parse("127.0.0.1:6000", DEFAULT_PORT);
        assertThat(local.address()).isNull();

        InetSocketAddress address = local.resolve();

        assertThat(address.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(address.getPort()).isEqualTo(6000);
        assertThat(local.address()).isEqualTo(address);
    }

    // ---------------------------------------------------------------- heartbeats waiting for an ACK

    @Test
    void theRoundTripIsMeasuredFromTheNanosGiven() {
        link.sent(10, 5 * SECOND);

        boolean matched = link.acknowledged(10, 5 * SECOND + 2_500_000);

        assertThat(matched).isTrue();
        assertThat(link.rttMicros()).isEqualTo(2_500);
        assertThat(link.everAnswered()).isTrue();
    }

    @Test
    void noRoundTripBeforeTheFirstAck() {
        assertThat(link.rttMicros()).isEqualTo(-1);
        assertThat(link.everAnswered()).isFalse();

        link.sent(1, SECOND);

        assertThat(link.rttMicros()).isEqualTo(-1);
        assertThat(link.everAnswered()).isFalse();
    }

    @Test
    void theRoundTripIsInWholeMicrosecondsAndNeverNegative() {
        link.sent(1, SECOND);
        link.acknowledged(1, SECOND + 1_999);
        assertThat(link.rttMicros()).isEqualTo(1);

        link.sent(2, SECOND);
        link.acknowledged(2, SECOND - 5_000);
        assertThat(link.rttMicros()).isZero();
    }

    @Test
    void anAckForASeqNeverSentIsIgnored() {
        link.sent(10, SECOND);
        link.acknowledged(10, SECOND + 1_000_000);

        assertThat(link.acknowledged(11, 9 * SECOND)).isFalse();
        assertThat(link.acknowledged(0, 9 * SECOND)).isFalse();
        assertThat(link.rttMicros()).as("kept from the matched ACK").isEqualTo(1_000);
    }

    @Test
    void aDuplicateAckIsIgnoredTheSecondTime() {
        link.sent(10, SECOND);

        assertThat(link.acknowledged(10, SECOND + 3_000_000)).isTrue();
        assertThat(link.acknowledged(10, SECOND + 9_000_000)).isFalse();
        assertThat(link.rttMicros()).isEqualTo(3_000);
    }

    @Test
    void lateAcksAreMatchedWhileEightHeartbeatsAreOutstanding() {
        for (int seq = 1; seq <= ServerLink.OUTSTANDING; seq++) {
            link.sent(seq, seq * SECOND);
        }

        assertThat(link.acknowledged(1, 20 * SECOND)).isTrue();
        assertThat(link.rttMicros()).isEqualTo(19_000_000);
        assertThat(link.acknowledged(8, 20 * SECOND)).isTrue();
        assertThat(link.rttMicros()).isEqualTo(12_000_000);
        assertThat(link.acknowledged(4, 20 * SECOND)).isTrue();
        assertThat(link.rttMicros()).isEqualTo(16_000_000);
    }

    @Test
    void aNinthOutstandingHeartbeatMakesTheOldestForgotten() {
        for (int seq = 1; seq <= ServerLink.OUTSTANDING + 1; seq++) {
            link.sent(seq, seq * SECOND);
        }

        assertThat(link.acknowledged(1, 20 * SECOND)).isFalse();
        for (int seq = 2; seq <= ServerLink.OUTSTANDING + 1; seq++) {
            assertThat(link.acknowledged(seq, 20 * SECOND)).as("seq %d", seq).isTrue();
            assertThat(link.rttMicros()).as("seq %d", seq).isEqualTo((20L - seq) * 1_000_000);
        }
    }

    @Test
    void anAckedSlotIsReusedWithoutLosingOthers() {
        link.sent(1, SECOND);
        link.acknowledged(1, 2 * SECOND);
        for (int seq = 2; seq <= ServerLink.OUTSTANDING + 1; seq++) {
            link.sent(seq, seq * SECOND);
        }

        assertThat(link.acknowledged(2, 20 * SECOND)).isTrue();
        assertThat(link.rttMicros()).isEqualTo(18_000_000);
        assertThat(link.acknowledged(9, 20 * SECOND)).isTrue();
        assertThat(link.rttMicros()).isEqualTo(11_000_000);
    }

    @Test
    void unansweredCountsHeartbeatsSinceTheLastAck() {
        assertThat(link.unanswered()).isZero();
        link.sent(1, SECOND);
        link.sent(2, 2 * SECOND);
        link.sent(3, 3 * SECOND);
        assertThat(link.unanswered()).isEqualTo(3);

        link.acknowledged(99, 4 * SECOND);
        assertThat(link.unanswered()).as("an unknown ACK does not count").isEqualTo(3);

        link.acknowledged(1, 4 * SECOND);
        assertThat(link.unanswered()).isZero();

        link.sent(4, 5 * SECOND);
        link.acknowledged(1, 6 * SECOND);
        assertThat(link.unanswered()).as("a duplicate ACK does not count").isEqualTo(1);
    }

    /**
     * HeartbeatClient builds every heartbeat with the link's last RTT, and the rtt_us field is a u32 below
     * 0xFFFFFFFF: an ACK taken more than about 71.6 minutes after its heartbeat (hbc stopped with SIGSTOP or
     * a paused VM, the ACK waiting in the socket buffer) must still leave an RTT a heartbeat can carry, or
     * no heartbeat to that server could be built again.
     */
    @Test
    void anRttTooLongForTheWireStillLetsTheNextHeartbeatBeBuilt() {
        link.sent(1, 0);
        link.acknowledged(1, TimeUnit.MINUTES.toNanos(72));

        assertThatCode(() -> new Heartbeat("web1", 2, 0, 20_000, link.rttMicros(), 0, false, 0))
                .doesNotThrowAnyException();
    }

    /** System.nanoTime() may be negative (its origin is arbitrary): a match must not depend on its sign. */
    @Test
    void anAckOfAHeartbeatSentAtANegativeNanoTimeCountsAsMatched() {
        link.sent(7, -2 * SECOND);

        boolean matched = link.acknowledged(7, -SECOND);

        assertThat(link.rttMicros()).isEqualTo(1_000_000);
        assertThat(matched).as("what HeartbeatClient.onDatagram checks").isTrue();
    }

    // ---------------------------------------------------------------- commands

    @Test
    void commandsAreTakenOnceInIncreasingIdOrder() {
        assertThat(link.commandsDone()).isZero();

        assertThat(link.take(1)).isTrue();
        assertThat(link.take(1)).as("repeated in the next ACK").isFalse();
        assertThat(link.take(3)).isTrue();
        assertThat(link.take(2)).as("older than one executed").isFalse();
        assertThat(link.commandsDone()).isEqualTo(3);
    }

    @Test
    void commandIdsArePerServer() {
        ServerLink other = new ServerLink("hb2.example.com", 50003);

        link.take(5);

        assertThat(other.commandsDone()).isZero();
        assertThat(other.take(1)).isTrue();
        assertThat(link.commandsDone()).isEqualTo(5);
    }
}
