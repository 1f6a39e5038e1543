package org.heartbeat.notify.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;

class KeysTest {
    @Test
    void requiredAndOptionalValuesAreTrimmed() {
        assertThat(Keys.required("token", "  abc ")).isEqualTo("abc");
        assertThat(Keys.optional(" ")).isNull();
        assertThatThrownBy(() -> Keys.required("token", " ")).hasMessage("token: missing");
        assertThatThrownBy(() -> Keys.required("token", null)).hasMessage("token: missing");
    }

    @Test
    void numbersAndTheSendLimitAreChecked() {
        assertThat(Keys.maxPerHour(() -> 0)).isZero();
        assertThat(Keys.maxPerHour(() -> 20)).isEqualTo(20);
        assertThatThrownBy(() -> Keys.maxPerHour(() -> -1))
                .hasMessage("max_per_hour: must be 0 (no cap) or more, got -1");
        assertThatThrownBy(() -> Keys.number("retry", () -> Integer.parseInt("soon")))
                .hasMessage("retry: must be a whole number");
    }

    @Test
    void aBaseUrlIsHttpWithAHostAndLosesItsTrailingSlash() {
        assertThat(Keys.baseUrl("api_url", "https://api.example.org/", "https://api.example.org"))
                .isEqualTo(URI.create("https://api.example.org"));
        assertThat(Keys.baseUrl("api_url", "http://127.0.0.1:8080/base", "x"))
                .isEqualTo(URI.create("http://127.0.0.1:8080/base"));
        for (String wrong : new String[] {"ftp://a.example", "https://u:p@a.example", "https://a.example/?x=1",
                "https://a.example/#f", "not a url", "/relative"}) {
            assertThatThrownBy(() -> Keys.baseUrl("api_url", wrong, "https://api.example.org"))
                    .hasMessageStartingWith("api_url: must be an http or https URL such as https://api.example.org");
        }
        assertThatThrownBy(() -> Keys.baseUrl("api_url", "", "x")).hasMessage("api_url: missing");
    }
}
