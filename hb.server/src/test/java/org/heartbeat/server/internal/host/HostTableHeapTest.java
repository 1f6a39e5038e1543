package org.heartbeat.server.internal.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.Test;

/** The heap a tracked host costs; the target is at most 1 KB per host. */
class HostTableHeapTest {
    private static final int HOSTS = 50_000;
    private static final long BUDGET_BYTES_PER_HOST = 1024;
    private static final int HEARTBEATS_PER_HOST = 3;

    @Test
    void trackedHostCostsLessThanOneKilobyteOfHeap() throws UnknownHostException {
        long first = bytesPerHost();
        long second = bytesPerHost();
        long lower = Math.min(first, second);

        assertThat(lower).as("heap per host, measured %d and %d bytes", first, second)
                .isLessThan(BUDGET_BYTES_PER_HOST);
        assertThat(lower).as("a host's state alone takes a few hundred bytes; less means nothing was measured")
                .isGreaterThan(100);
    }

    private static long bytesPerHost() throws UnknownHostException {
        long before = usedHeap();
        ManualTicker ticker = new ManualTicker();
        HostTable.Settings settings = new HostTable.Settings(60_000, 30_000, HOSTS, 0, 86_400_000L);
        try (HostTable table = new HostTable(settings, ticker, event -> event.id(1).build(), error -> { })) {
            feed(table, ticker);
            long after = usedHeap();
            assertThat(table.size()).isEqualTo(HOSTS);
            return (after - before) / HOSTS;
        }
    }

    /** Every host reports a few times, as a real fleet would: its own name, address, RTTs, signed or not. */
    private static void feed(HostTable table, ManualTicker ticker) throws UnknownHostException {
        String[] names = new String[HOSTS];
        for (int i = 0; i < HOSTS; i++) {
            names[i] = "host-" + (10_000 + i) + ".example.com";
        }
        long seq = 1_764_115_200_000_000L;
        int accepted = 0;
        for (int round = 0; round < HEARTBEATS_PER_HOST; round++) {
            for (int i = 0; i < HOSTS; i++) {
                byte[] ip = {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
                InetSocketAddress from = new InetSocketAddress(InetAddress.getByAddress(ip), 40_000 + i % 20_000);
                Heartbeat hb = new Heartbeat(names[i], seq++, ticker.wallMillis(), 60_000, 800 + i % 5_000 + round,
                        0, false, 0);
                if (table.heartbeat(hb, from, i % 2 == 0).verdict() == HostTable.Verdict.ACCEPTED) {
                    accepted++;
                }
            }
            ticker.advance(Duration.ofSeconds(20));
        }
        assertThat(accepted).isEqualTo(HOSTS * HEARTBEATS_PER_HOST);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
