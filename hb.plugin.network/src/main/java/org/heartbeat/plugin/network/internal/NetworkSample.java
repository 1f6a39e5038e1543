package org.heartbeat.plugin.network.internal;

import java.util.List;

/**
 * All network interfaces, read at one moment.
 *
 * @param nanos when they were read, on the {@link org.heartbeat.plugin.support.Clock#nanoTime()} clock
 */
record NetworkSample(long nanos, List<Interface> interfaces) {

    NetworkSample {
        interfaces = List.copyOf(interfaces);
    }
}
