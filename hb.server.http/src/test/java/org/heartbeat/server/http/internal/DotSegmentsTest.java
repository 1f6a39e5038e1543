package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DotSegmentsTest {
    @Test
    void dotSegmentsAreFoundAsSentOrEncoded() {
        assertThat(DotSegments.hasDotSegment("/api/hosts/%2E%2E/events")).isTrue();
        assertThat(DotSegments.hasDotSegment("/api/hosts/%2e")).isTrue();
        assertThat(DotSegments.hasDotSegment("/api/hosts/./plugins")).isTrue();
        assertThat(DotSegments.hasDotSegment("/api/hosts/web1.example.org/plugins")).isFalse();
        assertThat(DotSegments.hasDotSegment("/api/hosts/...")).isFalse();
        assertThat(DotSegments.hasDotSegment("/api/hosts/%zz")).isFalse();
    }
}
