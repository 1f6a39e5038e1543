package org.heartbeat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntToLongFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.heartbeat.protocol.MalformedDatagramException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Datagrams (docs/PROTOCOL.md, sections 2-5): encoding, decoding and the length limits of every message type. */
class DatagramsTest {
    static final HostKey KEY = Keys.counting(0);
    static final String LONGEST_HOST = "h".repeat(Protocol.MAX_HOST_NAME);

    // ---------------------------------------------------------------- round trips

    static Stream<ClientMessage> clientMessages() {
        return Stream.of(
                Heartbeat.of("web1", 1_764_115_200_000_000L, 1_764_115_200_123L, 10_000),
                new Heartbeat("höst-ünïcode", -1L, Long.MIN_VALUE, Protocol.MAX_U32, Protocol.NO_RTT - 1,
                        Protocol.MAX_U32, false, 0),
                new Heartbeat("db-2.example.com", 0, -5, 0, 0, 3, false, 0),
                new Heartbeat(LONGEST_HOST, Long.MAX_VALUE, Long.MAX_VALUE, 20_000, 870, 1, false, 0),
                new Heartbeat("web1", 7, 8, 20_000, 1_234, 3, true, 1_700_000_000_000L),
                new Heartbeat("web1", 7, 8, 20_000, -1, 0, true, 0),
                new Heartbeat("web1", 7, 8, 20_000, -1, 0, true, -86_400_000L),
                new PluginData("web1", 99, 1_000, 60_000, "cpu_monitor", 0, 1, Values.encode(Map.of("cpu", 12.5))),
                new PluginData("höst", 100, 1_000, 0, "A.b-C_9", 63, 64, new byte[] {1}),
                new PluginData(LONGEST_HOST, 101, 1_000, 60_000, "p".repeat(64), 2, 3, new byte[900]),
                new PluginError("web1", 5, 6, 60_000, "disk_monitor", "timed out after 10 s"),
                new PluginError("web1", 5, 6, 0, "x", ""),
                new PluginError("höst", 5, 6, 1, "x", "Ausnahme: Datei „/etc/ö“ fehlt ✗"));
    }

    static Stream<Arguments> clientMessagesSignedAndUnsigned() {
        return clientMessages().flatMap(m -> Stream.of(Arguments.of(m, false), Arguments.of(m, true)));
    }

    @ParameterizedTest(name = "{0} signed={1}")
    @MethodSource("clientMessagesSignedAndUnsigned")
    void clientMessagesRoundTrip(ClientMessage message, boolean signed) throws Exception {
        byte[] datagram = Datagrams.encode(message, signed ? KEY : null);

        assertThat(Datagrams.decode(ByteBuffer.wrap(datagram))).isEqualTo(message);
        assertThat(datagram[3]).as("type byte").isEqualTo((byte) message.type().code());
        assertThat(datagram[4]).as("flags").isEqualTo((byte) (signed ? 1 : 0));
        assertThat(Datagrams.signed(ByteBuffer.wrap(datagram))).isEqualTo(signed);
        assertThat(KEY.verify(ByteBuffer.wrap(datagram))).isEqualTo(signed);
        assertThat(datagram.length).isEqualTo(specLength(message, signed)).isLessThanOrEqualTo(Protocol.MAX_DATAGRAM);
    }

    static Stream<Arguments> acksSignedAndUnsigned() {
        List<Ack> acks = List.of(
                new Ack(1_764_115_200_000_000L, 1_764_115_200_125L, List.of()),
                new Ack(-1L, Long.MIN_VALUE, List.of(new Command(1, "ping", ""))),
                new Ack(42, 43, List.of(new Command(7, "set-interval", "60"), new Command(8, "x", "ärger ✓"),
                        new Command(Protocol.MAX_U32, "a".repeat(32), "z".repeat(255)))));
        return acks.stream().flatMap(a -> Stream.of(Arguments.of(a, false), Arguments.of(a, true)));
    }

    @ParameterizedTest(name = "{0} signed={1}")
    @MethodSource("acksSignedAndUnsigned")
    void acksRoundTrip(Ack ack, boolean signed) throws Exception {
        byte[] datagram = Datagrams.encode(ack, signed ? KEY : null);

        assertThat(Datagrams.decode(ByteBuffer.wrap(datagram))).isEqualTo(ack);
        assertThat(datagram[3]).isEqualTo((byte) 5);
        assertThat(KEY.verify(ByteBuffer.wrap(datagram))).isEqualTo(signed);
        assertThat(datagram.length).isEqualTo(specLength(ack, signed));
    }

    @Test
    void lengthsOfHeartbeatsAndEmptyAcksAreThoseTheSpecificationStates() {
        Heartbeat beat = Heartbeat.of("web1", 1, 2, 3);
        Heartbeat boot = new Heartbeat("web1", 1, 2, 3, -1, 0, true, 4);
        Ack ack = new Ack(1, 2, List.of());

        assertThat(Datagrams.encode(beat, null)).hasSize(34 + 4);
        assertThat(Datagrams.encode(beat, KEY)).hasSize(66 + 4);
        assertThat(Datagrams.encode(boot, null)).hasSize(42 + 4);
        assertThat(Datagrams.encode(boot, KEY)).hasSize(74 + 4);
        assertThat(Datagrams.encode(ack, null)).hasSize(23);
        assertThat(Datagrams.encode(ack, KEY)).hasSize(55);
    }

    @Test
    void encodesAtTheBufferPositionAndDecodesBetweenPositionAndLimit() throws Exception {
        Heartbeat beat = new Heartbeat("web1", 9, 10, 20_000, 5, 2, false, 0);
        ByteBuffer buffer = ByteBuffer.allocate(200);
        buffer.position(17);

        int length = Datagrams.encode(beat, KEY, buffer);

        assertThat(buffer.position()).isEqualTo(17 + length);
        assertThat(length).isEqualTo(66 + 4);
        buffer.put(new byte[] {1, 2, 3}).position(17).limit(17 + length);
        assertThat(Datagrams.decode(buffer)).isEqualTo(beat);
        assertThat(KEY.verify(buffer)).isTrue();
        assertThat(buffer.position()).as("decode and verify leave the buffer as it was").isEqualTo(17);
        assertThat(buffer.limit()).isEqualTo(17 + length);
    }

    @Test
    void decodedTimesAndSequenceNumbersKeepAll64Bits() throws Exception {
        byte[] datagram = Raw.client(1, 0, "web1".getBytes(StandardCharsets.US_ASCII)).u32(0xFFFF_FFFFL)
                .u32(0xFFFF_FFFEL).u32(0xFFFF_FFFFL).build();
        datagram[6] = (byte) 0xff;

        Heartbeat beat = (Heartbeat) Datagrams.decode(ByteBuffer.wrap(datagram));

        assertThat(Long.toUnsignedString(beat.seq())).isEqualTo(Long.toUnsignedString(0xff06_4474_13d6_c000L));
        assertThat(beat.intervalMillis()).isEqualTo(0xFFFF_FFFFL);
        assertThat(beat.rttMicros()).isEqualTo(0xFFFF_FFFEL);
        assertThat(beat.hasRtt()).isTrue();
        assertThat(beat.commandsDone()).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void rttOfAllOnesMeansNoneMeasured() throws Exception {
        Heartbeat beat = (Heartbeat) Datagrams.decode(ByteBuffer.wrap(Raw.heartbeat("web1".getBytes())));

        assertThat(beat.hasRtt()).isFalse();
        assertThat(beat.rttMicros()).isEqualTo(-1);
    }

    // ---------------------------------------------------------------- the 1,452-byte limit

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void heartbeatsWithTheLongestHostNameFit(boolean boot) throws Exception {
        String multibyte = "é".repeat(127) + "a";
        for (String host : List.of(LONGEST_HOST, multibyte)) {
            Heartbeat beat = new Heartbeat(host, 1, 2, Protocol.MAX_U32, 1, Protocol.MAX_U32, boot, boot ? 5 : 0);

            byte[] datagram = Datagrams.encode(beat, KEY);

            assertThat(datagram.length).isEqualTo((boot ? 74 : 66) + 255).isLessThanOrEqualTo(Protocol.MAX_DATAGRAM);
            assertThat(Datagrams.decode(ByteBuffer.wrap(datagram))).isEqualTo(beat);
        }
    }

    @Test
    void aPluginErrorWithTheLongestFieldsFits() throws Exception {
        String message = "€".repeat(5_000);
        PluginError error = new PluginError(LONGEST_HOST, 1, 2, 3, "p".repeat(64), message);

        byte[] datagram = Datagrams.encode(error, KEY);

        assertThat(datagram.length).isLessThanOrEqualTo(Protocol.MAX_DATAGRAM);
        PluginError decoded = (PluginError) Datagrams.decode(ByteBuffer.wrap(datagram));
        assertThat(decoded.message().getBytes(StandardCharsets.UTF_8).length).isBetween(1_022, 1_024);
        assertThat(message).startsWith(decoded.message());
    }

    @Test
    void aPluginErrorMessageIsCutAtACodePointNotInsideOne() {
        String message = "a" + "𝄞".repeat(400);

        PluginError error = new PluginError("web1", 1, 2, 3, "p", message);

        assertThat(error.message().getBytes(StandardCharsets.UTF_8)).hasSize(1 + 4 * 255);
        assertThat(message).startsWith(error.message());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void pluginDataUpToTheLimitEncodesAndOneByteMoreIsRefused(boolean signed) throws Exception {
        HostKey key = signed ? KEY : null;
        for (String host : List.of("web1", LONGEST_HOST)) {
            String plugin = "cpu_monitor";
            int room = Protocol.MAX_DATAGRAM - 29 - host.length() - plugin.length() - (signed ? 32 : 0);
            assertThat(Datagrams.maxFragment(host, plugin, signed)).isEqualTo(room);

            PluginData full = new PluginData(host, 1, 2, 3, plugin, 0, 2, new byte[room]);
            byte[] datagram = Datagrams.encode(full, key);
            assertThat(datagram).hasSize(Protocol.MAX_DATAGRAM);
            assertThat(Datagrams.decode(ByteBuffer.wrap(datagram))).isEqualTo(full);

            PluginData over = new PluginData(host, 1, 2, 3, plugin, 0, 2, new byte[room + 1]);
            assertThatIllegalArgumentException().isThrownBy(() -> Datagrams.encode(over, key))
                    .withMessageContaining(Integer.toString(Protocol.MAX_DATAGRAM));
        }
    }

    /**
     * An ACK whose commands do not fit one datagram is refused with the IllegalArgumentException the code
     * intends ("use ackFitting"), before anything is written, not with a buffer overflow.
     */
    @Test
    void anAckTooLongForOneDatagramIsRefusedWithIllegalArgumentException() {
        List<Command> commands = new ArrayList<>();
        for (int id = 1; id <= 10; id++) {
            commands.add(new Command(id, "set-interval", "9".repeat(200)));
        }
        Ack ack = new Ack(1, 2, commands);

        assertThatThrownBy(() -> Datagrams.encode(ack, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ackFitting");
    }

    @Test
    void anAckThatFitsOnlyWithoutMacIsRefusedWhenSigned() throws Exception {
        List<Command> commands = new ArrayList<>();
        for (int id = 1; id <= 6; id++) {
            commands.add(new Command(id, "c", "x".repeat(200)));
        }
        commands.add(new Command(7, "c", "y".repeat(168)));
        Ack ack = new Ack(1, 2, commands);

        byte[] unsigned = Datagrams.encode(ack, null);

        assertThat(unsigned).hasSize(1_440);
        assertThat(Datagrams.decode(ByteBuffer.wrap(unsigned))).isEqualTo(ack);
        assertThatIllegalArgumentException().isThrownBy(() -> Datagrams.encode(ack, KEY));
    }

    // ---------------------------------------------------------------- ackFitting

    @Test
    void ackFittingTakesTheCommandsThatFitTheRequest() {
        List<Command> queued = List.of(new Command(1, "ping", ""), new Command(2, "ping", ""));

        assertThat(Datagrams.ackFitting(1, 2, queued, 38, false).commands()).containsExactly(queued.get(0));
        assertThat(Datagrams.ackFitting(1, 2, queued, 43, false).commands()).isEqualTo(queued);
        assertThat(Datagrams.ackFitting(1, 2, queued, 70, true).commands()).containsExactly(queued.get(0));
        assertThat(Datagrams.ackFitting(1, 2, queued, 64, true).commands()).isEmpty();
    }

    @Test
    void ackFittingNeverSkipsACommandToSendALaterOne() {
        List<Command> queued = List.of(new Command(1, "set-interval", "x".repeat(200)), new Command(2, "ping", ""));

        Ack ack = Datagrams.ackFitting(1, 2, queued, 100, false);

        assertThat(ack.commands()).isEmpty();
        assertThat(Datagrams.encode(ack, null)).hasSizeLessThanOrEqualTo(100);
    }

    @Test
    void ackFittingKeepsSeqAndTime() {
        Ack ack = Datagrams.ackFitting(-3L, 1_764_115_200_125L, List.of(new Command(1, "ping", "")), 38, false);

        assertThat(ack.seq()).isEqualTo(-3L);
        assertThat(ack.timeMillis()).isEqualTo(1_764_115_200_125L);
    }

    /**
     * Property: for random command queues and request sizes, the ACK, encoded, is never longer than the
     * request, carries a prefix of the queue in order, and could not have carried one more command.
     */
    @Test
    void ackFittingNeverAnswersWithMoreBytesThanItReceived() throws Exception {
        Random random = new Random(20_251_126);
        for (int round = 0; round < 3_000; round++) {
            boolean signed = random.nextBoolean();
            List<Command> queued = randomCommands(random, random.nextInt(random.nextBoolean() ? 8 : 300));
            int request = (signed ? 67 : 35) + random.nextInt(Protocol.MAX_DATAGRAM + 200);
            HostKey key = signed ? KEY : null;

            Ack ack = Datagrams.ackFitting(round, 77, queued, request, signed);
            byte[] datagram = Datagrams.encode(ack, key);

            int limit = Math.min(request, Protocol.MAX_DATAGRAM);
            int n = ack.commands().size();
            assertThat(datagram.length).as("round %d", round).isLessThanOrEqualTo(limit);
            assertThat(ack.commands()).isEqualTo(queued.subList(0, n));
            if (n < queued.size()) {
                assertThat(specLength(new Ack(0, 0, queued.subList(0, n + 1)), signed))
                        .as("round %d: the next command would not have fitted", round).isGreaterThan(limit);
            }
            assertThat(Datagrams.decode(ByteBuffer.wrap(datagram))).isEqualTo(ack);
            assertThat(KEY.verify(ByteBuffer.wrap(datagram))).isEqualTo(signed);
        }
    }

    private static List<Command> randomCommands(Random random, int count) {
        String nameChars = "abcdefghijklmnopqrstuvwxyz0123456789-";
        List<String> argPieces = List.of("1", "60", "x", "é", "€", "𝄞", " ", "set");
        List<Command> commands = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder name = new StringBuilder();
            for (int n = 1 + random.nextInt(random.nextBoolean() ? 4 : 32); n > 0; n--) {
                name.append(nameChars.charAt(random.nextInt(nameChars.length())));
            }
            StringBuilder arg = new StringBuilder();
            int target = random.nextInt(4) == 0 ? random.nextInt(256) : random.nextInt(8);
            while (true) {
                String piece = argPieces.get(random.nextInt(argPieces.size()));
                if (utf8Length(arg.toString() + piece) > target) {
                    break;
                }
                arg.append(piece);
            }
            commands.add(new Command(i + 1, name.toString(), arg.toString()));
        }
        return commands;
    }

    // ---------------------------------------------------------------- plugin samples

    @Test
    void aSmallSampleTakesOneDatagram() throws Exception {
        Map<String, Object> tree = Map.of("cpu_percent", 12.5);
        SeqReservations seqs = new SeqReservations(500);

        List<byte[]> datagrams = Datagrams.encodePluginSample("web1", 1_000, 60_000, "cpu_monitor", tree, null, seqs);

        assertThat(seqs.requests).containsExactly(1);
        assertThat(datagrams).hasSize(1);
        PluginData pd = (PluginData) Datagrams.decode(ByteBuffer.wrap(datagrams.get(0)));
        assertThat(pd).isEqualTo(new PluginData("web1", 500, 1_000, 60_000, "cpu_monitor", 0, 1, Values.encode(tree)));
        assertThat(pd.complete()).isTrue();
        assertThat(Values.decode(pd.fragment())).isEqualTo(tree);
    }

    static Stream<Arguments> largeSamples() {
        return Stream.of(Arguments.of("web1", false, 5_000), Arguments.of("web1", true, 5_000),
                Arguments.of(LONGEST_HOST, true, 20_000), Arguments.of("höst", false, 60_000),
                Arguments.of(LONGEST_HOST, false, 2_000));
    }

    @ParameterizedTest(name = "{0} signed={1} {2} bytes")
    @MethodSource("largeSamples")
    void aLargeSampleIsSplitIntoConsecutiveFullDatagrams(String host, boolean signed, int size) throws Exception {
        Map<String, Object> tree = treeOfEncodedSize(size);
        HostKey key = signed ? KEY : null;
        long first = 1_764_115_200_000_000L;
        SeqReservations seqs = new SeqReservations(first);

        List<byte[]> datagrams = Datagrams.encodePluginSample(host, 1_000, 30_000, "disk_monitor", tree, key, seqs);

        assertThat(seqs.requests).as("seqs reserved once, for every part").containsExactly(datagrams.size());
        assertThat(datagrams.size()).isGreaterThan(1);
        ByteBuffer joined = ByteBuffer.allocate(size);
        for (int i = 0; i < datagrams.size(); i++) {
            byte[] d = datagrams.get(i);
            if (i < datagrams.size() - 1) {
                assertThat(d).as("part %d is as large as a datagram allows", i).hasSize(Protocol.MAX_DATAGRAM);
            }
            assertThat(d.length).isLessThanOrEqualTo(Protocol.MAX_DATAGRAM);
            assertThat(Datagrams.signed(ByteBuffer.wrap(d))).isEqualTo(signed);
            if (signed) {
                assertThat(KEY.verify(ByteBuffer.wrap(d))).isTrue();
            }
            PluginData pd = (PluginData) Datagrams.decode(ByteBuffer.wrap(d));
            assertThat(pd.host()).isEqualTo(host);
            assertThat(pd.plugin()).isEqualTo("disk_monitor");
            assertThat(pd.timeMillis()).isEqualTo(1_000);
            assertThat(pd.intervalMillis()).isEqualTo(30_000);
            assertThat(pd.seq()).isEqualTo(first + i);
            assertThat(pd.part()).isEqualTo(i);
            assertThat(pd.parts()).isEqualTo(datagrams.size());
            assertThat(pd.sampleSeq()).isEqualTo(first);
            joined.put(pd.fragment());
        }
        assertThat(joined.array()).isEqualTo(Values.encode(tree));
        assertThat(Values.decode(joined.array())).isEqualTo(tree);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aSampleOf64FullPartsIsSentAndOneByteMoreIsRefused(boolean signed) throws Exception {
        String host = "web1";
        String plugin = "big";
        int room = Protocol.MAX_DATAGRAM - 29 - host.length() - plugin.length() - (signed ? 32 : 0);
        HostKey key = signed ? KEY : null;
        SeqReservations seqs = new SeqReservations(0);

        List<byte[]> datagrams = Datagrams.encodePluginSample(host, 1, 2, plugin, treeOfEncodedSize(64 * room), key,
                seqs);

        assertThat(seqs.requests).containsExactly(64);
        assertThat(datagrams).hasSize(64).allSatisfy(d -> assertThat(d).hasSize(Protocol.MAX_DATAGRAM));
        Map<String, Object> tooBig = treeOfEncodedSize(64 * room + 1);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Datagrams.encodePluginSample(host, 1, 2, plugin, tooBig, key, seqs))
                .withMessageContaining("64");
        assertThat(seqs.requests).as("no seqs reserved for a refused sample").containsExactly(64);
    }

    @Test
    void encodePluginSampleRefusesBadNamesAndTreesBeforeReservingSeqs() {
        SeqReservations seqs = new SeqReservations(0);
        Map<String, Object> good = Map.of("a", 1L);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> Datagrams.encodePluginSample("bad host", 1, 2, "p", good, null, seqs));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Datagrams.encodePluginSample("web1", 1, 2, "bad/plugin", good, null, seqs));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Datagrams.encodePluginSample("web1", 1, 2, "p", Map.of("load", List.of(Double.NaN)),
                        null, seqs))
                .withMessageContaining("/load/0");
        assertThat(seqs.requests).isEmpty();
    }

    /** A tree {"v": [strings]} whose encoding is exactly {@code size} bytes (at least 12). */
    static Map<String, Object> treeOfEncodedSize(int size) {
        int strings = size / 60_000 + 1;
        int text = size - 9 - 3 * strings;
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < strings; i++) {
            int length = text / strings + (i < text % strings ? 1 : 0);
            values.add(String.valueOf((char) ('a' + i % 26)).repeat(length));
        }
        Map<String, Object> tree = Map.of("v", values);
        assertThat(Values.encode(tree)).as("test tree").hasSize(size);
        return tree;
    }

    // ---------------------------------------------------------------- what decode refuses

    static Stream<Arguments> malformedDatagrams() {
        byte[] web1 = "web1".getBytes(StandardCharsets.US_ASCII);
        return Stream.of(
                refused("bad magic hb", Raw.bytes().ascii("hb").u8(1).u8(1).u8(0).u8(4).build(), Reason.BAD_MAGIC),
                refused("magic reversed", Raw.bytes().ascii("BH").u8(1).u8(1).u8(0).u8(4).build(), Reason.BAD_MAGIC),
                refused("version 0", Raw.bytes().ascii("HB").u8(0).u8(1).u8(0).u8(4).build(), Reason.UNKNOWN_VERSION),
                refused("version 2", Raw.bytes().ascii("HB").u8(2).u8(1).u8(0).u8(4).build(), Reason.UNKNOWN_VERSION),
                refused("version 255", Raw.bytes().ascii("HB").u8(255).u8(1).u8(0).u8(4).build(),
                        Reason.UNKNOWN_VERSION),
                refused("type 6", Raw.client(6, "web1").u32(0).u32(0).u32(0).build(), Reason.UNKNOWN_TYPE),
                refused("type 255", Raw.client(255, "web1").u32(0).u32(0).u32(0).build(), Reason.UNKNOWN_TYPE),
                refused("flag 0x02", Raw.client(1, 2, web1).u32(0).u32(0).u32(0).build(), Reason.BAD_FLAGS),
                refused("flag 0x80", Raw.client(1, 0x80, web1).u32(0).u32(0).u32(0).build(), Reason.BAD_FLAGS),
                refused("flags 0x03", Raw.client(1, 3, web1).u32(0).u32(0).u32(0).raw(new byte[32]).build(),
                        Reason.BAD_FLAGS),
                refused("host with DEL", Raw.heartbeat(bytes("7765627f")), Reason.BAD_HOST_NAME),
                refused("host with C1 control U+0085", Raw.heartbeat(bytes("77c285")), Reason.BAD_HOST_NAME),
                refused("host with U+009F", Raw.heartbeat(bytes("77c29f")), Reason.BAD_HOST_NAME),
                refused("host with no-break space", Raw.heartbeat(bytes("77c2a031")), Reason.BAD_HOST_NAME),
                refused("host with em space", Raw.heartbeat(bytes("77e2808331")), Reason.BAD_HOST_NAME),
                refused("host with tab", Raw.heartbeat(bytes("770931")), Reason.BAD_HOST_NAME),
                refused("host with NUL", Raw.heartbeat(bytes("7700")), Reason.BAD_HOST_NAME),
                refused("host that is a slash", Raw.heartbeat(bytes("2f")), Reason.BAD_HOST_NAME),
                refused("host of zero bytes", Raw.heartbeat(new byte[0]), Reason.BAD_HOST_NAME),
                refused("host with invalid UTF-8", Raw.heartbeat(bytes("77c0af")), Reason.BAD_UTF8),
                refused("boot without boot time", Raw.client(2, "web1").u32(0).u32(0).u32(0).build(),
                        Reason.TRUNCATED),
                refused("heartbeat with a boot time", Raw.client(1, "web1").u32(0).u32(0).u32(0).i64(5).build(),
                        Reason.TRAILING_BYTES),
                refused("plugin name of 65 characters", Raw.pluginData("p".repeat(65), 0, 1).map(0).build(),
                        Reason.BAD_PLUGIN_NAME),
                refused("plugin name with slash", Raw.pluginData("a/b", 0, 1).map(0).build(), Reason.BAD_PLUGIN_NAME),
                refused("plugin name with colon", Raw.pluginData("a:b", 0, 1).map(0).build(), Reason.BAD_PLUGIN_NAME),
                refused("plugin name not ASCII", Raw.client(3, "web1").u32(0).u8(3).hex("63c3bc").u8(0).u8(1)
                        .map(0).build(), Reason.BAD_PLUGIN_NAME),
                refused("plugin name beyond the end", Raw.client(3, "web1").u32(0).u8(30).ascii("cpu").build(),
                        Reason.TRUNCATED),
                refused("part 1 of 1", Raw.pluginData("p", 1, 1).map(0).build(), Reason.BAD_FIELD),
                refused("part 64 of 64", Raw.pluginData("p", 64, 64).map(0).build(), Reason.BAD_FIELD),
                refused("part 0 of 255", Raw.pluginData("p", 0, 255).map(0).build(), Reason.BAD_FIELD),
                refused("part 200 of 3", Raw.pluginData("p", 200, 3).map(0).build(), Reason.BAD_FIELD),
                refused("error message of 1025 bytes", Raw.client(4, "web1").u32(0).u8(1).ascii("p").u16(1_025)
                        .ascii("m".repeat(1_025)).build(), Reason.BAD_FIELD),
                refused("error message invalid UTF-8", Raw.client(4, "web1").u32(0).u8(1).ascii("p").u16(2)
                        .hex("eda0").build(), Reason.BAD_UTF8),
                refused("error message beyond the end", Raw.client(4, "web1").u32(0).u8(1).ascii("p").u16(10)
                        .ascii("short").build(), Reason.TRUNCATED),
                refused("error message with trailing byte", Raw.client(4, "web1").u32(0).u8(1).ascii("p").u16(2)
                        .ascii("ok!").build(), Reason.TRAILING_BYTES),
                refused("ACK reserved byte 1", Raw.bytes().ascii("HB").u8(1).u8(5).u8(0).u8(1).i64(1).i64(2).u8(0)
                        .build(), Reason.BAD_FIELD),
                refused("ACK command with empty name", Raw.ack(1).u32(1).u8(0).u8(0).build(), Reason.BAD_FIELD),
                refused("ACK command name of 33 characters", Raw.ack(1).u32(1).u8(33).ascii("a".repeat(33)).u8(0)
                        .build(), Reason.BAD_FIELD),
                refused("ACK command name in upper case", Raw.ack(1).u32(1).u8(4).ascii("PING").u8(0).build(),
                        Reason.BAD_FIELD),
                refused("ACK command name with underscore", Raw.ack(1).u32(1).u8(4).ascii("pi_g").u8(0).build(),
                        Reason.BAD_FIELD),
                refused("ACK command argument invalid UTF-8", Raw.ack(1).u32(1).u8(4).ascii("ping").u8(1).hex("c3")
                        .build(), Reason.BAD_UTF8),
                refused("ACK with fewer commands than counted", Raw.ack(2).u32(1).u8(4).ascii("ping").u8(0).build(),
                        Reason.TRUNCATED),
                refused("ACK with more commands than counted", Raw.ack(0).u32(1).u8(4).ascii("ping").u8(0).build(),
                        Reason.TRAILING_BYTES),
                refused("signed datagram shorter than a MAC", Raw.client(1, 1, web1).build(), Reason.TRUNCATED),
                refused("1,453 bytes", Arrays.copyOf(Raw.pluginData("p", 0, 1).map(0).build(), 1_453),
                        Reason.OVERSIZED));
    }

    private static Arguments refused(String what, byte[] datagram, Reason reason) {
        return Arguments.of(what, datagram, reason);
    }

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedDatagrams")
    void decodeRefusesWhatTheSpecificationForbids(String what, byte[] datagram, Reason reason) {
        assertRefused(datagram, reason);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void anythingShorterThanSixBytesIsTruncated(int length) {
        assertRefused(Arrays.copyOf(new byte[] {'H', 'B', 1, 1, 0}, length), Reason.TRUNCATED);
    }

    @Test
    void acceptedLimitsDecode() throws Exception {
        byte[] lastPart = Raw.pluginData("p".repeat(64), 63, 64).u8(0).build();
        byte[] longestError = Raw.client(4, "web1").u32(0).u8(1).ascii("p").u16(1_024).ascii("m".repeat(1_024)).build();

        assertThat(((PluginData) Datagrams.decode(ByteBuffer.wrap(lastPart))).part()).isEqualTo(63);
        assertThat(((PluginError) Datagrams.decode(ByteBuffer.wrap(longestError))).message()).hasSize(1_024);
    }

    static Stream<Arguments> fixedLengthDatagrams() {
        return Stream.of(
                Datagrams.encode(new Heartbeat("web1", 1, 2, 3, 4, 5, false, 0), null),
                Datagrams.encode(new Heartbeat("höst", 1, 2, 3, 4, 5, false, 0), KEY),
                Datagrams.encode(new Heartbeat("web1", 1, 2, 3, 4, 5, true, 6), null),
                Datagrams.encode(new Heartbeat("web1", 1, 2, 3, 4, 5, true, 6), KEY),
                Datagrams.encode(new PluginError("web1", 1, 2, 3, "p", "boom"), null),
                Datagrams.encode(new PluginError("web1", 1, 2, 3, "p", "boom"), KEY),
                Datagrams.encode(new Ack(1, 2, List.of(new Command(1, "ping", ""), new Command(2, "x", "é"))), null),
                Datagrams.encode(new Ack(1, 2, List.of(new Command(1, "ping", ""))), KEY))
                .map(d -> Arguments.of(d.length, d));
    }

    @ParameterizedTest(name = "{0} bytes")
    @MethodSource("fixedLengthDatagrams")
    void everyProperPrefixOfAFixedLengthMessageIsTruncated(int length, byte[] datagram) {
        IntStream.range(0, length).forEach(n -> assertRefused(Arrays.copyOf(datagram, n), Reason.TRUNCATED));
    }

    @ParameterizedTest(name = "{0} bytes")
    @MethodSource("fixedLengthDatagrams")
    void anAppendedByteIsATrailingByte(int length, byte[] datagram) {
        byte[] longer = Arrays.copyOf(datagram, length + 1);

        assertRefused(longer, Reason.TRAILING_BYTES);
        assertThat(KEY.verify(ByteBuffer.wrap(longer))).isFalse();
    }

    @Test
    void signedReportsTheFlagOnlyWhenThereIsOne() {
        assertThat(Datagrams.signed(ByteBuffer.wrap(new byte[] {'H', 'B', 1, 1}))).isFalse();
        assertThat(Datagrams.signed(ByteBuffer.wrap(new byte[] {'H', 'B', 1, 1, 1}))).isTrue();
        assertThat(Datagrams.signed(ByteBuffer.wrap(new byte[] {'H', 'B', 1, 1, 0}))).isFalse();
        assertThat(Datagrams.signed(ByteBuffer.wrap(new byte[] {9, 'H', 'B', 1, 1, 1}).position(1))).isTrue();
    }

    // ---------------------------------------------------------------- helpers

    /** A reserveSeqs callback that hands out {@code first} and records every request. */
    static final class SeqReservations implements IntToLongFunction {
        final List<Integer> requests = new ArrayList<>();
        private final long first;

        SeqReservations(long first) {
            this.first = first;
        }

        @Override
        public long applyAsLong(int parts) {
            requests.add(parts);
            return first;
        }
    }

    static void assertRefused(byte[] datagram, Reason reason) {
        assertThatExceptionOfType(MalformedDatagramException.class)
                .as("%d bytes", datagram.length)
                .isThrownBy(() -> Datagrams.decode(ByteBuffer.wrap(datagram)))
                .satisfies(e -> assertThat(e.reason()).as("reason for %d bytes", datagram.length).isEqualTo(reason));
    }

    /** The length section 4 or 5 of docs/PROTOCOL.md gives for a message. */
    static int specLength(Message message, boolean signed) {
        int mac = signed ? 32 : 0;
        if (message instanceof Ack ack) {
            int length = 23;
            for (Command c : ack.commands()) {
                length += 4 + 1 + utf8Length(c.name()) + 1 + utf8Length(c.argument());
            }
            return length + mac;
        }
        ClientMessage cm = (ClientMessage) message;
        int n = utf8Length(cm.host());
        if (cm instanceof Heartbeat hb) {
            return (hb.boot() ? 42 : 34) + n + mac;
        }
        if (cm instanceof PluginData pd) {
            return 29 + n + pd.plugin().length() + pd.fragment().length + mac;
        }
        PluginError pe = (PluginError) cm;
        return 29 + n + pe.plugin().length() + utf8Length(pe.message()) + mac;
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
