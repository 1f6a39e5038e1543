package org.heartbeat.plugin.network.internal;

/** The counters of a network interface that {@code network_monitor} turns into rates, with their rate's key. */
enum Counter {
    BYTES_IN("bytes_in_per_s"),
    BYTES_OUT("bytes_out_per_s"),
    PACKETS_IN("packets_in_per_s"),
    PACKETS_OUT("packets_out_per_s"),
    ERRORS_IN("errors_in_per_s"),
    ERRORS_OUT("errors_out_per_s"),
    DROPS_IN("drops_in_per_s"),
    DROPS_OUT("drops_out_per_s");

    final String rateKey;

    Counter(String rateKey) {
        this.rateKey = rateKey;
    }
}
