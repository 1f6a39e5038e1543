package org.heartbeat.plugin.network.internal;

import java.util.EnumMap;
import java.util.Map;

/**
 * One network interface as read.
 *
 * @param index the system's interface index, which changes when an interface is created anew; 0 or less when
 *        unknown
 * @param up whether it is up; null when unknown
 * @param speed bits per second; 0 or less when unknown
 * @param mtu bytes; 0 or less when unknown
 * @param counters totals since the interface came up, unsigned 64-bit; a counter the system does not keep is
 *        absent
 */
record Interface(String name, int index, boolean loopback, Boolean up, long speed, long mtu,
        Map<Counter, Long> counters) {

    Interface {
        counters = counters.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(counters));
    }
}
