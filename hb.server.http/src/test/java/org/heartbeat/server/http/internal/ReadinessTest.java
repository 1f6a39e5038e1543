package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ReadinessTest {
    @Test
    void thePortIsReadFromEveryFormOfEndpoint() {
        assertThat(Readiness.port(new String[] {"http://192.0.2.1:8080/"})).isEqualTo(8080);
        assertThat(Readiness.port(new String[] {"http://[::1]:50004/"})).isEqualTo(50004);
        assertThat(Readiness.port("http://::1:50004/")).isEqualTo(50004);
        assertThat(Readiness.port(List.of("http://localhost:1/base/"))).isEqualTo(1);
        assertThat(Readiness.port(new String[0])).isEqualTo(-1);
        assertThat(Readiness.port(null)).isEqualTo(-1);
        assertThat(Readiness.port("http://example.org/")).isEqualTo(-1);
    }

    @Test
    void anHttpsEndpointIsSecure() {
        assertThat(Readiness.secure(new String[] {"https://192.0.2.1:8443/"})).isTrue();
        assertThat(Readiness.port(new String[] {"https://192.0.2.1:8443/"})).isEqualTo(8443);
        assertThat(Readiness.secure(List.of("http://localhost:1/"))).isFalse();
        assertThat(Readiness.secure(null)).isFalse();
    }
}
