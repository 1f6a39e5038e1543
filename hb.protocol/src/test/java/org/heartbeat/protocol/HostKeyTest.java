package org.heartbeat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Host keys (docs/PROTOCOL.md, section 8): text form, key files, signing and verifying. */
class HostKeyTest {
    static final HostKey KEY = Keys.counting(0);
    static final HostKey OTHER = Keys.counting(32);

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- verify

    static Stream<byte[]> signedDatagrams() {
        return Stream.of(
                Datagrams.encode(new Heartbeat("web1", 1, 2, 10_000, 1_500, 7, false, 0), KEY),
                Datagrams.encode(new Heartbeat("höst", 1, 2, 10_000, -1, 0, true, 99), KEY),
                Datagrams.encode(new PluginData("web1", 3, 4, 60_000, "cpu", 0, 1, Values.encode(Map.of("a", 1L))),
                        KEY),
                Datagrams.encode(new PluginError("web1", 5, 6, 0, "cpu", "boom"), KEY),
                Datagrams.encode(new Ack(7, 8, List.of(new Command(1, "ping", ""))), KEY));
    }

    @ParameterizedTest
    @MethodSource("signedDatagrams")
    void verifiesWithTheSigningKeyOnly(byte[] datagram) {
        assertThat(KEY.verify(ByteBuffer.wrap(datagram))).isTrue();
        assertThat(OTHER.verify(ByteBuffer.wrap(datagram))).isFalse();
    }

    @ParameterizedTest
    @MethodSource("signedDatagrams")
    void anySingleFlippedBitBreaksTheMac(byte[] datagram) {
        for (int bit = 0; bit < datagram.length * 8; bit++) {
            byte[] flipped = datagram.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(KEY.verify(ByteBuffer.wrap(flipped))).as("bit %d flipped", bit).isFalse();
        }
    }

    @Test
    void theUnsignedFormNeverVerifies() {
        Heartbeat beat = new Heartbeat("web1", 1, 2, 10_000, 1_500, 7, false, 0);
        byte[] unsigned = Datagrams.encode(beat, null);
        byte[] signed = Datagrams.encode(beat, KEY);
        byte[] flagOnly = unsigned.clone();
        flagOnly[4] = 1;

        assertThat(KEY.verify(ByteBuffer.wrap(unsigned))).isFalse();
        assertThat(KEY.verify(ByteBuffer.wrap(flagOnly))).isFalse();
        byte[] flagCleared = signed.clone();
        flagCleared[4] = 0;
        assertThat(KEY.verify(ByteBuffer.wrap(flagCleared))).isFalse();
    }

    @Test
    void theMacIsHmacSha256OfEverythingBeforeIt() throws Exception {
        byte[] datagram = Datagrams.encode(Heartbeat.of("web1", 1, 2, 3), KEY);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HexFormat.of().parseHex(
                "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), "HmacSHA256"));
        mac.update(datagram, 0, datagram.length - 32);

        assertThat(Arrays.copyOfRange(datagram, datagram.length - 32, datagram.length))
                .isEqualTo(mac.doFinal());
    }

    @Test
    void tooShortDatagramsDoNotVerify() {
        for (int n = 0; n < 5 + 32; n++) {
            byte[] bytes = new byte[n];
            if (n > 4) {
                bytes[4] = 1;
            }
            assertThat(KEY.verify(ByteBuffer.wrap(bytes))).as("%d bytes", n).isFalse();
        }
    }

    @Test
    void verifyLooksOnlyBetweenPositionAndLimit() {
        byte[] datagram = Datagrams.encode(Heartbeat.of("web1", 1, 2, 3), KEY);
        ByteBuffer buffer = ByteBuffer.allocate(datagram.length + 8);
        buffer.put(new byte[] {1, 2, 3, 4}).put(datagram).put(new byte[] {5, 6, 7, 8});

        buffer.position(4).limit(4 + datagram.length);

        assertThat(KEY.verify(buffer)).isTrue();
        assertThat(buffer.position()).isEqualTo(4);
    }

    // ---------------------------------------------------------------- text form

    @Test
    void base64RoundTripsForManyKeys() {
        Random random = new Random(823);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            HostKey key = HostKey.of(bytes);

            String text = key.toBase64();

            assertThat(text).hasSize(44).endsWith("=");
            assertThat(Base64.getDecoder().decode(text)).isEqualTo(bytes);
            assertThat(HostKey.parse(text)).isEqualTo(key).hasSameHashCodeAs(key);
            assertThat(HostKey.parse(text).toBase64()).isEqualTo(text);
        }
    }

    @Test
    void parseIgnoresSurroundingWhiteSpace() {
        assertThat(HostKey.parse("  \t" + KEY.toBase64() + " \n")).isEqualTo(KEY);
    }

    @Test
    void theVectorsKeyParses() {
        assertThat(HostKey.parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")).isEqualTo(KEY);
    }

    static Stream<String> badKeys() {
        Random random = new Random(5);
        byte[] b31 = new byte[31];
        byte[] b33 = new byte[33];
        random.nextBytes(b31);
        random.nextBytes(b33);
        return Stream.of(
                Base64.getEncoder().encodeToString(b31),
                Base64.getEncoder().encodeToString(b33),
                "",
                "not a key at all",
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8!",
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd Hh8=",
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8==",
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=AAAA",
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh-_");
    }

    @ParameterizedTest
    @MethodSource("badKeys")
    void badTextIsRefusedWithoutEchoingIt(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> HostKey.parse(text))
                .satisfies(e -> {
                    assertThat(e.getMessage()).isNotBlank();
                    if (!text.isEmpty()) {
                        assertThat(e.getMessage()).doesNotContain(text.strip());
                    }
                });
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 16, 31, 33, 64})
    void ofRefusesKeysThatAreNot32Bytes(int length) {
        assertThatIllegalArgumentException().isThrownBy(() -> HostKey.of(new byte[length]))
                .withMessageContaining("32");
    }

    @Test
    void ofCopiesTheBytes() {
        byte[] bytes = new byte[32];
        HostKey key = HostKey.of(bytes);
        String before = key.toBase64();

        bytes[0] = 42;

        assertThat(key.toBase64()).isEqualTo(before);
    }

    @Test
    void generatedKeysAre32RandomBytes() {
        HostKey a = HostKey.generate();
        HostKey b = HostKey.generate();

        assertThat(Base64.getDecoder().decode(a.toBase64())).hasSize(32);
        assertThat(a).isNotEqualTo(b);
        assertThat(a.toBase64()).isNotEqualTo(b.toBase64());
    }

    @Test
    void toStringAndFingerprintNeverShowTheKey() {
        for (HostKey key : List.of(KEY, OTHER, HostKey.generate())) {
            String base64 = key.toBase64();
            String hex = HexFormat.of().formatHex(Base64.getDecoder().decode(base64));

            assertThat(key.fingerprint()).matches("[0-9a-f]{8}");
            assertThat(key.toString()).contains(key.fingerprint());
            for (String shown : List.of(key.toString(), key.fingerprint())) {
                assertThat(shown).doesNotContain(base64).doesNotContain(base64.substring(0, 8))
                        .doesNotContainIgnoringCase(hex.substring(0, 8));
            }
        }
    }

    @Test
    void fingerprintsIdentifyKeys() {
        assertThat(HostKey.parse(KEY.toBase64()).fingerprint()).isEqualTo(KEY.fingerprint());
        assertThat(OTHER.fingerprint()).isNotEqualTo(KEY.fingerprint());
        assertThat(KEY).isNotEqualTo(OTHER).isNotEqualTo(KEY.toBase64());
    }

    // ---------------------------------------------------------------- key files

    @Test
    void readTakesTheFirstLineThatIsNeitherEmptyNorAComment() throws IOException {
        Path file = write("# Heartbeat host key of web1\n\n   \n  # indented comment\n  " + KEY.toBase64()
                + "  \n" + OTHER.toBase64() + "\n");

        assertThat(HostKey.read(file)).isEqualTo(KEY);
    }

    @Test
    void readAcceptsAFileWithoutFinalNewline() throws IOException {
        assertThat(HostKey.read(write(OTHER.toBase64()))).isEqualTo(OTHER);
    }

    @Test
    void readRefusesAFileWithoutKey() throws IOException {
        Path file = write("# only a comment\n\n");

        assertThatIOException().isThrownBy(() -> HostKey.read(file)).withMessageContaining(file.toString());
    }

    @Test
    void readRefusesABadKeyWithoutEchoingIt() throws IOException {
        String almost = KEY.toBase64().substring(0, 40);
        Path file = write("# comment\n" + almost + "\n");

        assertThatIOException().isThrownBy(() -> HostKey.read(file)).withMessageContaining(file.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(almost));
    }

    @Test
    void readOfAMissingFileFails() {
        assertThatIOException().isThrownBy(() -> HostKey.read(dir.resolve("missing.key")));
    }

    private Path write(String text) throws IOException {
        Path file = Files.createTempFile(dir, "host", ".key");
        Files.writeString(file, text);
        return file;
    }
}
