package org.heartbeat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every vector of docs/protocol-vectors.txt, which an encoder independent of this codec wrote: valid ones
 * decode to the fields given and encode back to the same bytes; invalid ones are refused for the reason
 * given.
 */
class ProtocolVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFileHasValidAndInvalidVectorsSignedAndUnsigned() {
        List<Vectors> all = Vectors.all();
        assertThat(all).hasSizeGreaterThan(60);
        assertThat(all).anyMatch(v -> v.valid() && v.key() != null);
        assertThat(all).anyMatch(v -> v.valid() && v.key() == null);
        assertThat(all).anyMatch(v -> !v.valid() && "BAD_MAC".equals(v.get("reason")));
        assertThat(all.stream().filter(v -> !v.valid()).map(v -> v.get("reason")).distinct())
                .hasSizeGreaterThanOrEqualTo(12);
    }

    @TestFactory
    Stream<DynamicTest> validVectorsDecodeVerifyAndEncodeBack() {
        return Vectors.all().stream().filter(Vectors::valid)
                .map(v -> DynamicTest.dynamicTest(v.name(), () -> checkValid(v)));
    }

    @TestFactory
    Stream<DynamicTest> invalidVectorsAreRefusedForTheirReason() {
        return Vectors.all().stream().filter(v -> !v.valid())
                .map(v -> DynamicTest.dynamicTest(v.name(), () -> checkInvalid(v)));
    }

    private static void checkValid(Vectors v) throws Exception {
        byte[] bytes = v.bytes();
        Message message = Datagrams.decode(ByteBuffer.wrap(bytes));
        HostKey key = v.key();
        assertThat(Datagrams.signed(ByteBuffer.wrap(bytes))).isEqualTo(key != null);
        if (key != null) {
            assertThat(key.verify(ByteBuffer.wrap(bytes))).as("MAC verifies").isTrue();
        }
        assertThat(message.type().name().toLowerCase()).isEqualTo(v.get("type"));
        assertThat(Long.toUnsignedString(message.seq())).isEqualTo(v.get("seq"));
        assertThat(message.timeMillis()).isEqualTo(Long.parseLong(v.get("time_ms")));
        byte[] reencoded;
        if (message instanceof Ack ack) {
            List<String> commands = new ArrayList<>();
            for (Command c : ack.commands()) {
                commands.add(c.id() + " " + c.name() + (c.argument().isEmpty() ? "" : " " + c.argument()));
            }
            assertThat(commands).isEqualTo(v.all("command"));
            reencoded = Datagrams.encode(ack, key);
        } else {
            ClientMessage cm = (ClientMessage) message;
            assertThat(cm.host()).isEqualTo(v.get("host"));
            assertThat(cm.intervalMillis()).isEqualTo(v.number("interval_ms"));
            if (cm instanceof Heartbeat hb) {
                assertThat(hb.hasRtt() ? Long.toString(hb.rttMicros()) : "-").isEqualTo(v.get("rtt_us"));
                assertThat(hb.commandsDone()).isEqualTo(v.number("cmd_done"));
                if (hb.boot()) {
                    assertThat(hb.bootTimeMillis()).isEqualTo(Long.parseLong(v.get("boot_time_ms")));
                }
            } else if (cm instanceof PluginData pd) {
                assertThat(pd.plugin()).isEqualTo(v.get("plugin"));
                assertThat(pd.part()).isEqualTo(Integer.parseInt(v.get("part")));
                assertThat(pd.parts()).isEqualTo(Integer.parseInt(v.get("parts")));
                if (v.get("value") != null) {
                    assertThat(Values.decode(pd.fragment())).isEqualTo(fromJson(v.get("value")));
                    assertThat(Values.encode(fromJson(v.get("value")))).isEqualTo(pd.fragment());
                }
            } else if (cm instanceof PluginError pe) {
                assertThat(pe.plugin()).isEqualTo(v.get("plugin"));
                assertThat(pe.message()).isEqualTo(v.get("message"));
            }
            reencoded = Datagrams.encode(cm, key);
        }
        assertThat(reencoded).as("encodes back to the same bytes").isEqualTo(bytes);
    }

    private static void checkInvalid(Vectors v) {
        byte[] bytes = v.bytes();
        String reason = v.get("reason");
        if ("BAD_MAC".equals(reason)) {
            assertThat(v.key()).isNotNull();
            assertThat(v.key().verify(ByteBuffer.wrap(bytes))).as("MAC verifies").isFalse();
            return;
        }
        MalformedDatagramException e = catchThrowableOfType(MalformedDatagramException.class,
                () -> decodeFully(bytes));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.reason().name()).isEqualTo(reason);
    }

    /** Decodes the datagram and, for a complete plugin sample, its value tree. */
    static Message decodeFully(byte[] bytes) throws MalformedDatagramException {
        Message m = Datagrams.decode(ByteBuffer.wrap(bytes));
        if (m instanceof PluginData pd && pd.complete()) {
            Values.decode(pd.fragment());
        }
        return m;
    }

    @Test
    void splitSampleReassemblesToTheValueGiven() throws Exception {
        Vectors part0 = find("plugin_data_split_part0");
        Vectors part1 = find("plugin_data_split_part1");
        PluginData a = (PluginData) Datagrams.decode(ByteBuffer.wrap(part0.bytes()));
        PluginData b = (PluginData) Datagrams.decode(ByteBuffer.wrap(part1.bytes()));
        assertThat(a.sampleSeq()).isEqualTo(b.sampleSeq());
        ByteBuffer whole = ByteBuffer.allocate(a.fragment().length + b.fragment().length);
        whole.put(a.fragment()).put(b.fragment()).flip();
        assertThat(Values.decode(whole)).isEqualTo(fromJson(part1.get("sample_value")));
        assertThatThrownBy(() -> Values.decode(a.fragment())).isInstanceOf(MalformedDatagramException.class);
    }

    private static Vectors find(String name) {
        return Vectors.all().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    /** JSON to the plain tree types the codec uses: integers become Long, decimals Double. */
    static Map<String, Object> fromJson(String json) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) convert(JSON.readTree(json));
        return map;
    }

    private static Object convert(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> m.put(e.getKey(), convert(e.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(convert(x)));
            return l;
        }
        if (n.isIntegralNumber()) {
            return n.longValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        return n.textValue();
    }
}
