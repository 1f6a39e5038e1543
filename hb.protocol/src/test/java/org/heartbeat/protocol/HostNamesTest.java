package org.heartbeat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.heartbeat.protocol.MalformedDatagramException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Host names (docs/PROTOCOL.md, section 4): 1-255 bytes of UTF-8 without control characters, white space or
 * '/'. The codec must apply the same rule when encoding and when decoding.
 */
class HostNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"web1", "WEB1", "db-2.example.com", "höst-ünïcode", "a", "host_1", "a:b", "[::1]",
            "#x", "x\"y", "back\\slash", "日本語ホスト", "🖥", "a\u200bb"})
    void validNamesAreAcceptedAndDecode(String name) throws Exception {
        assertThat(HostNames.problem(name)).isNull();
        assertThat(HostNames.valid(name)).isTrue();
        assertThat(HostNames.check(name)).isSameAs(name);
        assertThat(decodeHeartbeatFrom(name).host()).isEqualTo(name);
    }

    static Stream<String> namesWithAForbiddenCharacter() {
        IntStream controls = IntStream.concat(IntStream.rangeClosed(0x00, 0x1f), IntStream.rangeClosed(0x7f, 0x9f));
        IntStream unicodeWhiteSpace = IntStream.of(0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005,
                0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000);
        return Stream.concat(IntStream.concat(controls, unicodeWhiteSpace).boxed()
                .map(cp -> "web" + Character.toString(cp) + "1"), Stream.of("/", "web/1", "/web1", "web1/"));
    }

    @ParameterizedTest
    @MethodSource("namesWithAForbiddenCharacter")
    void controlCharactersWhiteSpaceAndSlashAreRefusedBothWays(String name) {
        assertThat(HostNames.valid(name)).isFalse();
        assertThat(HostNames.problem(name)).isNotBlank();
        assertThatIllegalArgumentException().isThrownBy(() -> HostNames.check(name));
        assertThatIllegalArgumentException().isThrownBy(() -> Heartbeat.of(name, 1, 2, 3));
        assertThatExceptionOfType(MalformedDatagramException.class).isThrownBy(() -> decodeHeartbeatFrom(name))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.BAD_HOST_NAME));
    }

    @Test
    void emptyAndNullAreRefused() {
        assertThat(HostNames.valid("")).isFalse();
        assertThat(HostNames.valid(null)).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> HostNames.check(""));
    }

    @Test
    void aNameThatIsNotValidUnicodeIsRefused() {
        assertThat(HostNames.valid("web\uD800")).isFalse();
        assertThat(HostNames.valid("\uDC00web")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "é", "€", "𝄞"})
    void theLimitIs255BytesOfUtf8WhateverTheCharacters(String character) throws Exception {
        int bytes = character.getBytes(StandardCharsets.UTF_8).length;
        String longest = character.repeat(255 / bytes) + "x".repeat(255 % bytes);
        String tooLong = longest + "x";
        assertThat(longest.getBytes(StandardCharsets.UTF_8)).hasSize(255);

        assertThat(HostNames.valid(longest)).isTrue();
        assertThat(decodeHeartbeatFrom(longest).host()).isEqualTo(longest);
        assertThat(HostNames.valid(tooLong)).isFalse();
        assertThat(HostNames.problem(tooLong)).contains("256");
        assertThatIllegalArgumentException().isThrownBy(() -> Heartbeat.of(tooLong, 1, 2, 3));
    }

    @Test
    void aShortStringOfManyByteCharactersCanBeTooLong() {
        String name = "é".repeat(128);

        assertThat(name).hasSize(128);
        assertThat(HostNames.valid(name)).isFalse();
    }

    @Test
    void theProblemNamesTheKindOfMistake() {
        assertThat(HostNames.problem("web 1")).contains("space");
        assertThat(HostNames.problem("web/1")).contains("'/'");
        assertThat(HostNames.problem("")).contains("empty");
    }

    private static Heartbeat decodeHeartbeatFrom(String name) throws MalformedDatagramException {
        byte[] datagram = Raw.heartbeat(name.getBytes(StandardCharsets.UTF_8));
        return (Heartbeat) Datagrams.decode(ByteBuffer.wrap(datagram));
    }
}
