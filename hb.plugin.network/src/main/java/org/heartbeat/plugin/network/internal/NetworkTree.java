package org.heartbeat.plugin.network.internal;

import java.util.HashMap;
import java.util.Map;

import org.heartbeat.api.Metrics;

/**
 * Turns two samples of the interfaces into the values of {@code network_monitor}:
 *
 * <pre>{@code
 * {interfaces={eth0={bytes_in_per_s=1250.0, bytes_out_per_s=980.5, packets_in_per_s=12.0, packets_out_per_s=9.5,
 *                    errors_in_per_s=0.0, errors_out_per_s=0.0, drops_in_per_s=0.0, drops_out_per_s=0.0,
 *                    up=true, speed_mbps=1000, mtu=1500}}}
 * }</pre>
 *
 * Rates are per second between the two samples. An interface has none when there is no earlier sample, when no
 * time passed, when it was not there before or was created anew (its index changed), and when one of its counters
 * went backwards: the counters were reset (or a 32-bit counter wrapped), so no difference of them is the traffic
 * of the window. A counter the system does not keep has no rate. {@code up} is left out when unknown,
 * {@code speed_mbps} (rounded to whole Mbit/s) when unknown or below 1, {@code mtu} when unknown. Without any
 * interface, {@code interfaces} is an empty map.
 */
final class NetworkTree {
    private NetworkTree() {
    }

    /**
     * @param before the previous sample, or null when there is none
     * @param now the current sample
     */
    static Metrics build(NetworkSample before, NetworkSample now, InterfaceFilter filter) {
        Map<String, Interface> was = new HashMap<>();
        double seconds = 0;
        if (before != null) {
            before.interfaces().forEach(i -> was.put(i.name(), i));
            seconds = (now.nanos() - before.nanos()) / 1e9;
        }
        Metrics.Builder interfaces = Metrics.builder();
        for (Interface i : now.interfaces()) {
            if (i.name() == null || i.name().isEmpty() || !filter.accepts(i.name(), i.loopback())) {
                continue;
            }
            Interface previous = was.get(i.name());
            double elapsed = seconds;
            interfaces.map(i.name(), m -> {
                if (previous != null && elapsed > 0 && sameCounters(previous, i)) {
                    for (Counter c : Counter.values()) {
                        Long a = previous.counters().get(c);
                        Long b = i.counters().get(c);
                        if (a != null && b != null) {
                            m.put(c.rateKey, unsigned(b - a) / elapsed);
                        }
                    }
                }
                if (i.up() != null) {
                    m.put("up", i.up().booleanValue());
                }
                long mbps = Math.round(i.speed() / 1e6);
                if (mbps > 0) {
                    m.put("speed_mbps", mbps);
                }
                if (i.mtu() > 0) {
                    m.put("mtu", i.mtu());
                }
            });
        }
        return Metrics.builder().put("interfaces", interfaces.build()).build();
    }

    /** Whether the counters of {@code now} continue those of {@code before}: same interface, none went back. */
    static boolean sameCounters(Interface before, Interface now) {
        if (before.index() > 0 && now.index() > 0 && before.index() != now.index()) {
            return false;
        }
        for (Counter c : Counter.values()) {
            Long a = before.counters().get(c);
            Long b = now.counters().get(c);
            if (a != null && b != null && Long.compareUnsigned(b, a) < 0) {
                return false;
            }
        }
        return true;
    }

    /** An unsigned 64-bit number as a double. */
    static double unsigned(long n) {
        return n >= 0 ? n : (n >>> 1) * 2.0 + (n & 1);
    }
}
