package org.heartbeat.plugin.network.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InterfaceFilterTest {

    @Test
    void namesMatchExactlyOrByATrailingStar() {
        InterfaceFilter f = new InterfaceFilter(new String[] {"eth0", "wl*"}, null);

        assertThat(f.accepts("eth0", false)).isTrue();
        assertThat(f.accepts("eth01", false)).isFalse();
        assertThat(f.accepts("wlan0", false)).isTrue();
        assertThat(f.accepts("wl", false)).isTrue();
        assertThat(f.accepts("lo", true)).isFalse();
    }

    @Test
    void byDefaultEverythingButTheLoopback() {
        assertThat(InterfaceFilter.DEFAULT.accepts("lo", true)).isFalse();
        assertThat(InterfaceFilter.DEFAULT.accepts("lo0", true)).isFalse();
        assertThat(InterfaceFilter.DEFAULT.accepts("lo", false)).isTrue();
        assertThat(InterfaceFilter.DEFAULT.accepts("eth0", false)).isTrue();
        assertThat(new InterfaceFilter(null, new String[] {"docker0"}).accepts("lo", true)).isFalse();
    }

    @Test
    void anEmptyEntryOrAStarBeforeTheEndIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new InterfaceFilter(new String[] {""}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("setting include_interfaces: an empty entry");
        assertThatThrownBy(() -> new InterfaceFilter(null, new String[] {"v*eth"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("setting exclude_interfaces: \"v*eth\" has a * before its end; "
                        + "only a trailing * is a wildcard");
    }
}
