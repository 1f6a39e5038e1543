package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RouteTest {
    @Test
    void segmentsAreSplitThenDecoded() {
        assertThat(Route.segments("/api/hosts", "/api/hosts")).isEmpty();
        assertThat(Route.segments("/api/hosts/", "/api/hosts")).isEmpty();
        assertThat(Route.segments("/api/hosts/web1/plugins", "/api/hosts")).containsExactly("web1", "plugins");
        assertThat(Route.segments("/api/hosts/%2E", "/api/hosts")).containsExactly(".");
        assertThat(Route.segments("/api/hosts/%2E%2E/plugins", "/api/hosts")).containsExactly("..", "plugins");
        assertThat(Route.segments("/api/hosts/50%25", "/api/hosts")).containsExactly("50%");
        assertThat(Route.segments("/api/hosts/a%5Cb", "/api/hosts")).containsExactly("a\\b");
        assertThat(Route.segments("/api/hosts/a%2Fb", "/api/hosts")).containsExactly("a/b");
        assertThat(Route.segments("/api/hosts/a+b%20c", "/api/hosts")).containsExactly("a+b c");
        assertThat(Route.segments("/api/hosts/caf%C3%A9", "/api/hosts")).containsExactly("café");
    }

    @Test
    void aPathOutsideThePrefixOrBadlyEncodedIsRefused() {
        assertThatThrownBy(() -> Route.segments("/api/hostsX", "/api/hosts")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Route.segments("/api/hosts/%zz", "/api/hosts"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void routesMatchWholeTemplatesAndNameTheirParameters() {
        Route history = Route.of("{host}/plugins/{plugin}/history");
        assertThat(history.match(List.of("web1", "plugins", "cpu_monitor", "history")))
                .contains(Map.of("host", "web1", "plugin", "cpu_monitor"));
        assertThat(history.match(List.of("web1", "plugins", "cpu_monitor"))).isEmpty();
        assertThat(history.match(List.of("web1", "plugin", "cpu_monitor", "history"))).isEmpty();
        assertThat(Route.of("{host}").match(List.of(""))).as("an empty name is no name").isEmpty();
        assertThat(Route.of("").match(List.of())).contains(Map.of());
    }
}
