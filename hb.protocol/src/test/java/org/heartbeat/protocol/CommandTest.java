package org.heartbeat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Commands inside ACKs (docs/PROTOCOL.md, sections 5 and 7). */
class CommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"ping", "set-interval", "a", "0", "-", "a-b-9", "abcdefghijklmnopqrstuvwxyz012345"})
    void validNames(String name) {
        assertThat(new Command(1, name, "").name()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Ping", "PING", "set_interval", "set interval", "ping!", "pïng", "a/b",
            "abcdefghijklmnopqrstuvwxyz0123456"})
    void invalidNamesAreRefused(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> new Command(1, name, ""));
    }

    @Test
    void aNullNameIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Command(1, null, ""));
    }

    @Test
    void idsAreUnsigned32BitNumbersFromOne() {
        assertThat(new Command(1, "ping", "").id()).isEqualTo(1);
        assertThat(new Command(Protocol.MAX_U32, "ping", "").id()).isEqualTo(Protocol.MAX_U32);
        assertThatIllegalArgumentException().isThrownBy(() -> new Command(0, "ping", ""));
        assertThatIllegalArgumentException().isThrownBy(() -> new Command(-1, "ping", ""));
        assertThatIllegalArgumentException().isThrownBy(() -> new Command(Protocol.MAX_U32 + 1, "ping", ""));
    }

    @Test
    void argumentsAreAtMost255BytesOfUtf8() {
        assertThat(new Command(1, "x", "a".repeat(255)).argument()).hasSize(255);
        assertThat(new Command(1, "x", "é".repeat(127) + "a").argument()).hasSize(128);
        assertThatIllegalArgumentException().isThrownBy(() -> new Command(1, "x", "a".repeat(256)));
        assertThatIllegalArgumentException().isThrownBy(() -> new Command(1, "x", "é".repeat(128)));
        assertThatIllegalArgumentException().isThrownBy(() -> new Command(1, "x", "€".repeat(86)));
    }

    @Test
    void anAckCarriesAtMost255Commands() {
        List<Command> many = Collections.nCopies(256, new Command(1, "ping", ""));

        assertThat(new Ack(1, 2, many.subList(0, 255)).commands()).hasSize(255);
        assertThatIllegalArgumentException().isThrownBy(() -> new Ack(1, 2, many));
    }
}
