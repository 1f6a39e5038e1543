package com.example.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.heartbeat.server.api.event.HostEvent.Type;
import org.junit.jupiter.api.Test;

class SettingsTest {
    @Test
    void withoutTypesEveryTypeIsSent() {
        Settings s = Settings.of("https://hooks.example.com/x?token=t", null, 5);

        assertThat(s.types()).isEmpty();
        assertThat(Type.values()).allMatch(s::sends);
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.target()).isEqualTo("https://hooks.example.com");
    }

    @Test
    void typesAreWordsInAnyCaseInOneCommaSeparatedStringOrSeveral() {
        Settings one = Settings.of("http://h:8080/", new String[] {" overdue, RECOVERED ,"}, 5);
        Settings several = Settings.of("http://h:8080/", new String[] {"overdue", "recovered"}, 5);

        assertThat(one.types()).containsExactlyInAnyOrder(Type.OVERDUE, Type.RECOVERED);
        assertThat(several.types()).isEqualTo(one.types());
        assertThat(one.sends(Type.NEW)).isFalse();
        assertThat(one.target()).isEqualTo("http://h:8080");
    }

    @Test
    void anUnknownTypeIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> Settings.of("http://h/", new String[] {"overdue,late"}, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("types: no event type \"late\" (new, boot, overdue, recovered, name_conflict, forgotten)");
    }

    @Test
    void theUrlIsRequiredAndMustBeHttpOrHttpsWithAHost() {
        assertThatThrownBy(() -> Settings.of(null, null, 5)).hasMessageStartingWith("url: missing");
        assertThatThrownBy(() -> Settings.of(" ", null, 5)).hasMessageStartingWith("url: missing");
        assertThatThrownBy(() -> Settings.of("ftp://h/x", null, 5)).hasMessageContaining("not an http or https URL");
        assertThatThrownBy(() -> Settings.of("http:/x", null, 5)).hasMessageContaining("not an http or https URL");
        assertThatThrownBy(() -> Settings.of("http://h/a b", null, 5)).hasMessageStartingWith("url: not a URL");
    }

    @Test
    void theTimeoutIsOneToThirtySeconds() {
        assertThat(Settings.of("http://h/", null, 1).timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(Settings.of("http://h/", null, 30).timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> Settings.of("http://h/", null, 0)).hasMessage("timeout: 0 is not between 1 and 30 seconds");
        assertThatThrownBy(() -> Settings.of("http://h/", null, 31)).hasMessageStartingWith("timeout: 31");
    }
}
