package org.heartbeat.plugin.network.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.heartbeat.api.Metrics;
import org.heartbeat.plugin.support.ComponentConfig;
import org.heartbeat.plugin.support.FakeClock;
import org.junit.jupiter.api.Test;

class NetworkMonitorTest {
    private static final long MS = 1_000_000L;
    private static final Path LO = Path.of("/sys/class/net/lo");

    private final FakeClock clock = new FakeClock();
    /** eth0 receives 1000 bytes between two samples. */
    private final AtomicInteger samples = new AtomicInteger();
    private final NetworkSource source = () -> {
        long bytes = 1000L * samples.getAndIncrement();
        return new NetworkSample(clock.nanoTime(), List.of(
                new Interface("lo", 1, true, true, 0, 65536, Map.of(Counter.BYTES_IN, bytes)),
                new Interface("eth0", 2, false, true, 0, 1500, Map.of(Counter.BYTES_IN, bytes))));
    };

    @Test
    void theFirstCollectionWaitsForHalfASecondSinceActivationAndMeasuresAgainstIt() throws Exception {
        NetworkMonitor monitor = monitor(Map.of("interval", 60.0, "timeout", 30.0));
        assertThat(samples).hasValue(1);
        clock.advanceMillis(100);

        Metrics first = monitor.collect();

        assertThat(clock.sleeps).containsExactly(400 * MS);
        assertThat(NetworkTreeTest.iface(first, "eth0")).containsEntry("bytes_in_per_s", 2000.0);
    }

    @Test
    void laterCollectionsDoNotWaitAndMeasureAgainstThePreviousOne() throws Exception {
        NetworkMonitor monitor = monitor(Map.of());
        clock.advanceMillis(2000);
        assertThat(NetworkTreeTest.iface(monitor.collect(), "eth0")).containsEntry("bytes_in_per_s", 500.0);
        clock.advanceMillis(250);

        Metrics second = monitor.collect();

        assertThat(clock.sleeps).isEmpty();
        assertThat(NetworkTreeTest.iface(second, "eth0")).containsEntry("bytes_in_per_s", 4000.0);
    }

    @Test
    void theSettingsFilterAsConfigured() throws Exception {
        Map<String, Object> properties = Map.of("include_interfaces", "lo", "exclude_interfaces", new String[0]);

        assertThat(NetworkTreeTest.interfaces(monitor(properties).collect())).containsOnlyKeys("lo");
        assertThat(NetworkTreeTest.interfaces(monitor(Map.of()).collect())).containsOnlyKeys("eth0");
    }

    @Test
    void anInvalidOrUnknownSettingFailsEveryCollectionNamingIt() {
        NetworkMonitor invalid = monitor(Map.of("exclude_interfaces", new String[] {"veth", ""}));
        NetworkMonitor unknown = monitor(Map.of("exclude", new String[] {"veth*"}));

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(invalid::collect).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("setting exclude_interfaces: an empty entry");
            assertThatThrownBy(unknown::collect).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unknown setting \"exclude\": network_monitor knows exclude_interfaces, "
                            + "include_interfaces");
        }
    }

    @Test
    void theConfigurationKeysAreTheDocumentedOnes() {
        assertThat(List.of(NetworkMonitor.Config.class.getDeclaredMethods()))
                .extracting(ComponentConfig::propertyName)
                .containsExactlyInAnyOrder("interval", "timeout", "include_interfaces", "exclude_interfaces")
                .containsAll(NetworkMonitor.SETTINGS);
    }

    @Test
    void onThisMachineTheLoopbackIsSkippedByDefaultAndTheFirstSampleHasRates() throws Exception {
        Metrics m = new NetworkMonitor(config(Map.of()), new HashMap<>()).collect();

        assertThat(NetworkTreeTest.interfaces(m)).doesNotContainKey("lo");
        NetworkTreeTest.interfaces(m).forEach((name, value) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> i = (Map<String, Object>) value;
            assertThat((Long) i.get("mtu")).as(name).isPositive();
            assertThat(i).as(name).containsKeys("bytes_in_per_s", "bytes_out_per_s");
            i.forEach((k, v) -> {
                if (k.endsWith("_per_s")) {
                    assertThat((Double) v).as("%s %s", name, k).isNotNegative();
                }
            });
        });
    }

    @Test
    void onThisMachineTheIncludedLoopbackCarriesTheTrafficSentThroughIt() throws Exception {
        assumeThat(LO).exists();
        int datagrams = 200;
        int size = 1000;
        long rxBefore = loCounter("rx_bytes");
        long start = System.nanoTime();

        NetworkMonitor monitor = new NetworkMonitor(config(Map.of("include_interfaces", new String[] {"lo"})),
                new HashMap<>());
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (int i = 0; i < datagrams; i++) {
                socket.send(new DatagramPacket(new byte[size], size, socket.getLocalSocketAddress()));
            }
        }
        Metrics m = monitor.collect();

        double window = (System.nanoTime() - start) / 1e9;
        long rxDelta = loCounter("rx_bytes") - rxBefore;
        assertThat(NetworkTreeTest.interfaces(m)).containsOnlyKeys("lo");
        Map<String, Object> lo = NetworkTreeTest.iface(m, "lo");
        assertThat(lo).containsEntry("up", true)
                .containsEntry("mtu", Long.parseLong(Files.readString(LO.resolve("mtu")).strip()))
                .containsKeys("drops_in_per_s", "drops_out_per_s", "errors_in_per_s", "errors_out_per_s");
        double bytesIn = (Double) lo.get("bytes_in_per_s");
        // at least what we sent over at most the whole time; at most all the loopback carried over the 0.5 s window
        assertThat(bytesIn).isGreaterThanOrEqualTo((double) datagrams * size / window)
                .isLessThanOrEqualTo(rxDelta / 0.5);
        assertThat((Double) lo.get("bytes_out_per_s")).isGreaterThanOrEqualTo((double) datagrams * size / window);
        assertThat((Double) lo.get("packets_in_per_s")).isGreaterThanOrEqualTo(datagrams / window);
    }

    private static long loCounter(String name) throws IOException {
        return Long.parseLong(Files.readString(LO.resolve("statistics").resolve(name)).strip());
    }

    private NetworkMonitor monitor(Map<String, ?> properties) {
        return new NetworkMonitor(source, clock, config(properties), properties);
    }

    private static NetworkMonitor.Config config(Map<String, ?> properties) {
        return ComponentConfig.of(NetworkMonitor.Config.class, properties);
    }
}
