package org.heartbeat.plugin.network.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import oshi.hardware.NetworkIF.IfOperStatus;

class OshiNetworkSourceTest {

    @Test
    void anInterfaceIsUpWhenItsStateIsUp() {
        assertThat(OshiNetworkSource.up(IfOperStatus.UP, false)).isTrue();
        for (IfOperStatus s : new IfOperStatus[] {IfOperStatus.DOWN, IfOperStatus.LOWER_LAYER_DOWN,
                IfOperStatus.NOT_PRESENT, IfOperStatus.DORMANT, IfOperStatus.TESTING}) {
            assertThat(OshiNetworkSource.up(s, true)).as("%s", s).isFalse();
        }
    }

    @Test
    void anUnknownStateIsDecidedByTheFlag() {
        assertThat(OshiNetworkSource.up(IfOperStatus.UNKNOWN, true)).isTrue();
        assertThat(OshiNetworkSource.up(IfOperStatus.UNKNOWN, false)).isFalse();
        assertThat(OshiNetworkSource.up(IfOperStatus.UNKNOWN, null)).isNull();
        assertThat(OshiNetworkSource.up(null, true)).isTrue();
    }
}
