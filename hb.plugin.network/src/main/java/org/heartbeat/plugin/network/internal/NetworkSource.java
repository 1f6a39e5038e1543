package org.heartbeat.plugin.network.internal;

/** Where {@link NetworkMonitor} reads the interfaces: {@link OshiNetworkSource} in the runtime, fixed ones in tests. */
interface NetworkSource {
    NetworkSample sample();
}
