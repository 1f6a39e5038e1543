package org.heartbeat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.heartbeat.protocol.MalformedDatagramException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Value trees (docs/PROTOCOL.md, section 6): what encodes, how, what is refused on either side and why. */
class ValuesTest {

    // ---------------------------------------------------------------- round trips

    @Test
    void everyTypeRoundTrips() throws Exception {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("no", false);
        tree.put("yes", true);
        tree.put("int", 42L);
        tree.put("negative", -7L);
        tree.put("min", Long.MIN_VALUE);
        tree.put("max", Long.MAX_VALUE);
        tree.put("number", 3.25);
        tree.put("negative_zero", -0.0);
        tree.put("tiny", Double.MIN_VALUE);
        tree.put("huge", -Double.MAX_VALUE);
        tree.put("text", "héllo wörld ✓ 𝄞");
        tree.put("empty_text", "");
        tree.put("empty_list", List.of());
        tree.put("empty_map", Map.of());

        Map<String, Object> decoded = Values.decode(Values.encode(tree));

        assertThat(decoded).isEqualTo(tree);
        assertThat(decoded.get("negative_zero")).as("-0.0 keeps its sign").isEqualTo(-0.0);
    }

    @Test
    void nestedListsAndMapsRoundTrip() throws Exception {
        Map<String, Object> partition = new LinkedHashMap<>();
        partition.put("percent", 41.5);
        partition.put("free", 123_456_789L);
        partition.put("flags", List.of("rw", "noatime"));
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("partitions", Map.of("/", partition, "/srv/a.b", Map.of("percent", 3.0)));
        tree.put("per_core", List.of(1.5, 2.5, List.of(List.of(Map.of("deep", true))), Map.of("x", List.of())));

        assertThat(Values.decode(Values.encode(tree))).isEqualTo(tree);
    }

    @Test
    void smallerIntegerTypesAreWidenedToLong() throws Exception {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("int", Integer.MIN_VALUE);
        tree.put("short", (short) -300);
        tree.put("byte", (byte) 127);

        Map<String, Object> decoded = Values.decode(Values.encode(tree));

        assertThat(decoded).containsExactly(Map.entry("int", (long) Integer.MIN_VALUE), Map.entry("short", -300L),
                Map.entry("byte", 127L));
        assertThat(decoded.values()).allMatch(v -> v instanceof Long);
    }

    @Test
    void floatIsWidenedToDouble() throws Exception {
        Map<String, Object> decoded = Values.decode(Values.encode(Map.of("f", 0.1f)));

        assertThat(decoded.get("f")).isInstanceOf(Double.class).isEqualTo((double) 0.1f);
    }

    @Test
    void widenedValuesEncodeExactlyAsTheirWideForms() {
        assertThat(Values.encode(Map.of("v", 5))).isEqualTo(Values.encode(Map.of("v", 5L)));
        assertThat(Values.encode(Map.of("v", (short) 5))).isEqualTo(Values.encode(Map.of("v", 5L)));
        assertThat(Values.encode(Map.of("v", (byte) 5))).isEqualTo(Values.encode(Map.of("v", 5L)));
        assertThat(Values.encode(Map.of("v", 2.5f))).isEqualTo(Values.encode(Map.of("v", 2.5)));
    }

    @Test
    void keyOrderIsKeptInBytesAndInTheDecodedMap() throws Exception {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (String key : List.of("zeta", "alpha", "mu", "beta", "omega", "a")) {
            Map<String, Object> inner = new LinkedHashMap<>();
            inner.put("z", 1L);
            inner.put("y", 2L);
            tree.put(key, inner);
        }

        byte[] encoded = Values.encode(tree);
        Map<String, Object> decoded = Values.decode(encoded);

        assertThat(decoded.keySet()).containsExactly("zeta", "alpha", "mu", "beta", "omega", "a");
        assertThat(List.copyOf(((Map<?, ?>) decoded.get("mu")).keySet())).isEqualTo(List.of("z", "y"));
        assertThat(Values.encode(decoded)).as("re-encoding the decoded tree").isEqualTo(encoded);
    }

    @Test
    void encodingFollowsTheSpecificationByteForByte() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("f", false);
        tree.put("t", true);
        tree.put("i", -2L);
        tree.put("d", 1.5);
        tree.put("s", "ü");
        tree.put("l", List.of(7L));
        tree.put("m", Map.of());

        byte[] expected = Raw.bytes().map(7)
                .str("f").u8('F')
                .str("t").u8('T')
                .str("i").integer(-2)
                .str("d").u8('d').hex("3ff8000000000000")
                .str("s").u8('s').hex("0002 c3bc")
                .str("l").list(1).integer(7)
                .str("m").map(0)
                .build();

        assertThat(HexFormat.of().formatHex(Values.encode(tree))).isEqualTo(HexFormat.of().formatHex(expected));
    }

    @Test
    @SuppressWarnings("unchecked")
    void decodedTreesAreUnmodifiable() throws Exception {
        Map<String, Object> decoded = Values.decode(Values.encode(Map.of("l", List.of(1L), "m", Map.of("a", 1L))));

        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> decoded.put("x", 1L));
        assertThatExceptionOfType(UnsupportedOperationException.class)
                .isThrownBy(() -> ((List<Object>) decoded.get("l")).add(2L));
        assertThatExceptionOfType(UnsupportedOperationException.class)
                .isThrownBy(() -> ((Map<String, Object>) decoded.get("m")).clear());
    }

    @Test
    void decodeReadsOnlyBetweenPositionAndLimit() throws Exception {
        byte[] tree = Values.encode(Map.of("a", 1L));
        ByteBuffer buffer = ByteBuffer.allocate(tree.length + 10);
        buffer.put(new byte[] {'x', 'x', 'x'}).put(tree).put(new byte[] {'y', 'y'});
        buffer.position(3).limit(3 + tree.length);

        assertThat(Values.decode(buffer)).isEqualTo(Map.of("a", 1L));
        assertThat(buffer.position()).as("buffer left as it was").isEqualTo(3);
    }

    // ---------------------------------------------------------------- what encode refuses

    static Stream<Object> nonFiniteNumbers() {
        return Stream.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.longBitsToDouble(0x7ff0_0000_0000_0001L), Float.NaN, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY);
    }

    @ParameterizedTest
    @MethodSource("nonFiniteNumbers")
    void encodeRefusesNonFiniteNumbersNamingTheirPath(Object number) {
        List<Object> load = new ArrayList<>(List.of(0.5, 0.7));
        load.add(1, number);

        assertThatIllegalArgumentException().isThrownBy(() -> Values.encode(Map.of("load", load)))
                .withMessageContaining("\"/load/1\"");
    }

    @Test
    void pathsInMessagesEscapeSlashAndTildeAsJsonPointer() {
        Map<String, Object> tree = Map.of("partitions", Map.of("/srv/a~b", Map.of("percent", Double.NaN)));

        assertThatIllegalArgumentException().isThrownBy(() -> Values.encode(tree))
                .withMessageContaining("\"/partitions/~1srv~1a~0b/percent\"");
    }

    @Test
    void encodeRefusesNullNamingItsPath() {
        Map<String, Object> inner = new HashMap<>();
        inner.put("b", null);

        assertThatIllegalArgumentException().isThrownBy(() -> Values.encode(Map.of("a", inner)))
                .withMessageContaining("\"/a/b\"").withMessageContaining("null");
    }

    static Stream<Object> unsupportedValues() {
        return Stream.of(BigInteger.ONE, BigDecimal.TEN, 'c', new int[] {1}, Set.of(1L), Optional.of(1L),
                new Object(), new AtomicLong(3), new StringBuilder("s"));
    }

    @ParameterizedTest
    @MethodSource("unsupportedValues")
    void encodeRefusesUnsupportedTypesNamingPathAndType(Object value) {
        Map<String, Object> tree = Map.of("list", List.of(1L, Map.of("v", value)));

        assertThatIllegalArgumentException().isThrownBy(() -> Values.encode(tree))
                .withMessageContaining("\"/list/1/v\"").withMessageContaining(value.getClass().getName());
    }

    @Test
    void encodeRefusesAnEmptyKey() {
        assertThatIllegalArgumentException().isThrownBy(() -> Values.encode(Map.of("a", Map.of("", 1L))))
                .withMessageContaining("\"/a\"");
        assertThatIllegalArgumentException().isThrownBy(() -> Values.encode(Map.of("", 1L)))
                .withMessageContaining("\"/\"");
    }

    @Test
    void encodeRefusesNullAndNonStringKeys() {
        Map<String, Object> nullKey = new HashMap<>();
        nullKey.put(null, 1L);
        Map<Object, Object> numberKey = new HashMap<>();
        numberKey.put(7, 1L);
        @SuppressWarnings("unchecked")
        Map<String, Object> numberKeyed = (Map<String, Object>) (Map<?, ?>) numberKey;

        assertThatIllegalArgumentException().isThrownBy(() -> Values.encode(nullKey));
        assertThatIllegalArgumentException().isThrownBy(() -> Values.encode(Map.of("m", numberKeyed)))
                .withMessageContaining("\"/m\"");
    }

    @Test
    void nestingOf16LevelsEncodesAndDecodes() throws Exception {
        Map<String, Object> deepest = nestedTree(Protocol.MAX_DEPTH);

        assertThat(Values.decode(Values.encode(deepest))).isEqualTo(deepest);
    }

    @Test
    void encodeRefusesNestingDeeperThan16NamingTheContainer() {
        StringBuilder path = new StringBuilder("/n");
        for (int level = 3; level <= 17; level++) {
            path.append(level % 2 == 1 ? "/0" : "/k");
        }

        assertThatIllegalArgumentException().isThrownBy(() -> Values.encode(nestedTree(17)))
                .withMessageContaining("\"" + path + "\"").withMessageContaining("16");
    }

    @Test
    void aTreeThatContainsItselfIsRefusedByTheDepthLimit() {
        List<Object> loop = new ArrayList<>();
        loop.add(loop);

        assertThatIllegalArgumentException().isThrownBy(() -> Values.encode(Map.of("loop", loop)))
                .withMessageContaining("16");
    }

    @Test
    void stringsUpTo65535BytesEncodeAndLongerOnesAreRefused() throws Exception {
        String longest = "x".repeat(65_535);
        assertThat(Values.decode(Values.encode(Map.of("s", longest)))).containsEntry("s", longest);

        assertThatIllegalArgumentException().isThrownBy(() -> Values.encode(Map.of("s", "x".repeat(65_536))))
                .withMessageContaining("\"/s\"").withMessageContaining("65536");
    }

    @Test
    void theStringLimitCountsUtf8BytesNotCharacters() throws Exception {
        String fits = "€".repeat(21_845);
        String tooLong = "€".repeat(21_846);

        assertThat(Values.decode(Values.encode(Map.of("s", fits)))).containsEntry("s", fits);
        assertThatIllegalArgumentException().isThrownBy(() -> Values.encode(Map.of("s", tooLong)))
                .withMessageContaining("65538");
    }

    @Test
    void encodeRefusesAKeyLongerThan65535Bytes() {
        assertThatIllegalArgumentException().isThrownBy(() -> Values.encode(Map.of("k".repeat(65_536), 1L)));
    }

    @Test
    void encodeRefusesAStringThatIsNotValidUnicode() {
        assertThatIllegalArgumentException().isThrownBy(() -> Values.encode(Map.of("s", "a\uD800b")));
    }

    @Test
    void listsUpTo65535ElementsEncodeAndLongerOnesAreRefused() throws Exception {
        List<Object> longest = Collections.nCopies(65_535, false);
        assertThat((List<?>) Values.decode(Values.encode(Map.of("l", longest))).get("l")).hasSize(65_535);

        List<Object> tooLong = Collections.nCopies(65_536, false);
        assertThatIllegalArgumentException().isThrownBy(() -> Values.encode(Map.of("a", Map.of("l", tooLong))))
                .withMessageContaining("\"/a/l\"").withMessageContaining("65536");
    }

    @Test
    void mapsWithMoreThan65535EntriesAreRefused() {
        Map<String, Object> big = new LinkedHashMap<>();
        for (int i = 0; i < 65_536; i++) {
            big.put("k" + i, true);
        }

        assertThatIllegalArgumentException().isThrownBy(() -> Values.encode(Map.of("m", big)))
                .withMessageContaining("\"/m\"");
        assertThatIllegalArgumentException().isThrownBy(() -> Values.encode(big)).withMessageContaining("\"/\"");
    }

    // ---------------------------------------------------------------- what decode refuses

    static Stream<Arguments> malformedTrees() {
        return Stream.of(
                refused("empty input", Raw.bytes(), Reason.TRUNCATED),
                refused("root is a list", Raw.bytes().list(0), Reason.BAD_VALUE),
                refused("root is an integer", Raw.bytes().integer(1), Reason.BAD_VALUE),
                refused("root is a string", Raw.bytes().u8('s').str("x"), Reason.BAD_VALUE),
                refused("root is true", Raw.bytes().u8('T'), Reason.BAD_VALUE),
                refused("unknown tag x", Raw.bytes().map(1).str("a").u8('x'), Reason.BAD_VALUE),
                refused("unknown tag 0", Raw.bytes().map(1).str("a").u8(0), Reason.BAD_VALUE),
                refused("upper-case I is not a tag", Raw.bytes().map(1).str("a").u8('I').i64(1), Reason.BAD_VALUE),
                refused("lower-case f is not a tag", Raw.bytes().map(1).str("a").u8('f'), Reason.BAD_VALUE),
                refused("duplicate key", Raw.bytes().map(2).str("a").integer(1).str("a").integer(2),
                        Reason.BAD_VALUE),
                refused("duplicate key in a nested map",
                        Raw.bytes().map(1).str("n").map(2).str("k").u8('T').str("k").u8('T'), Reason.BAD_VALUE),
                refused("empty key", Raw.bytes().map(1).str("").integer(1), Reason.BAD_VALUE),
                refused("NaN", Raw.bytes().map(1).str("a").u8('d').f64(Double.NaN), Reason.NON_FINITE),
                refused("NaN with payload", Raw.bytes().map(1).str("a").u8('d').hex("7ff0000000000001"),
                        Reason.NON_FINITE),
                refused("negative NaN", Raw.bytes().map(1).str("a").u8('d').hex("fff8000000000000"),
                        Reason.NON_FINITE),
                refused("+infinity in a list", Raw.bytes().map(1).str("a").list(1).u8('d')
                        .f64(Double.POSITIVE_INFINITY), Reason.NON_FINITE),
                refused("-infinity", Raw.bytes().map(1).str("a").u8('d').f64(Double.NEGATIVE_INFINITY),
                        Reason.NON_FINITE),
                refused("a byte after the root", Raw.bytes().map(0).u8(0), Reason.TRAILING_BYTES),
                refused("a second root", Raw.bytes().map(0).map(0), Reason.TRAILING_BYTES),
                refused("map tag only", Raw.bytes().u8('m'), Reason.TRUNCATED),
                refused("half a map count", Raw.bytes().u8('m').u8(0), Reason.TRUNCATED),
                refused("map count beyond the end", Raw.bytes().map(2).str("a").integer(1), Reason.TRUNCATED),
                refused("list count beyond the end", Raw.bytes().map(1).str("a").list(3).u8('T'), Reason.TRUNCATED),
                refused("key without value", Raw.bytes().map(1).str("a"), Reason.TRUNCATED),
                refused("integer cut short", Raw.bytes().map(1).str("a").u8('i').u32(1), Reason.TRUNCATED),
                refused("double cut short", Raw.bytes().map(1).str("a").u8('d').u16(0x3ff0), Reason.TRUNCATED),
                refused("string longer than the rest", Raw.bytes().map(1).str("a").u8('s').u16(10).ascii("abc"),
                        Reason.TRUNCATED),
                refused("key longer than the rest", Raw.bytes().map(1).u16(5).ascii("ab"), Reason.TRUNCATED),
                refused("overlong slash in a value", utf8Value("c0af"), Reason.BAD_UTF8),
                refused("overlong three-byte form", utf8Value("e080af"), Reason.BAD_UTF8),
                refused("encoded surrogate", utf8Value("eda080"), Reason.BAD_UTF8),
                refused("truncated sequence", utf8Value("e282"), Reason.BAD_UTF8),
                refused("lone continuation byte", utf8Value("80"), Reason.BAD_UTF8),
                refused("beyond U+10FFFF", utf8Value("f4908080"), Reason.BAD_UTF8),
                refused("byte 0xff", utf8Value("ff"), Reason.BAD_UTF8),
                refused("invalid UTF-8 in a key", Raw.bytes().map(1).u16(2).hex("c0af").u8('T'), Reason.BAD_UTF8),
                refused("too deep", Raw.bytes().raw(nestedBytes(17)), Reason.BAD_VALUE));
    }

    private static Arguments refused(String what, Raw bytes, Reason reason) {
        return Arguments.of(what, bytes.build(), reason);
    }

    private static Raw utf8Value(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        return Raw.bytes().map(1).str("a").u8('s').str(bytes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedTrees")
    void decodeRefusesWhatSection6Forbids(String what, byte[] bytes, Reason reason) {
        assertThatExceptionOfType(MalformedDatagramException.class).isThrownBy(() -> Values.decode(bytes))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 15, 16})
    void decodeAcceptsNestingUpTo16(int depth) throws Exception {
        Map<String, Object> decoded = Values.decode(nestedBytes(depth));

        Object value = decoded.get("n");
        for (int level = 2; level <= depth; level++) {
            assertThat(value).isInstanceOf(List.class);
            value = ((List<?>) value).get(0);
        }
        assertThat(value).isEqualTo(7L);
    }

    @Test
    void everyProperPrefixOfATreeIsRefusedAsTruncated() {
        byte[] tree = Values.encode(Map.of("a", List.of(1L, 2.5, "xyz", true), "b", Map.of("c", false)));

        for (int n = 0; n < tree.length; n++) {
            byte[] prefix = Arrays.copyOf(tree, n);
            assertThatExceptionOfType(MalformedDatagramException.class).as("prefix of %d bytes", n)
                    .isThrownBy(() -> Values.decode(prefix))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED));
        }
    }

    /** A tree with the root map at depth 1 and its deepest container (lists and maps alternate) at {@code depth}. */
    static Map<String, Object> nestedTree(int depth) {
        Object inner = 7L;
        for (int level = depth; level > 1; level--) {
            inner = level % 2 == 0 ? List.of(inner) : Map.of("k", inner);
        }
        return Map.of("n", inner);
    }

    /** The bytes of {"n": [[...[7]...]]} with the innermost list at {@code depth} (the root map is depth 1). */
    static byte[] nestedBytes(int depth) {
        Raw raw = Raw.bytes().map(1).str("n");
        for (int level = 2; level <= depth; level++) {
            raw.list(1);
        }
        return raw.integer(7).build();
    }
}
