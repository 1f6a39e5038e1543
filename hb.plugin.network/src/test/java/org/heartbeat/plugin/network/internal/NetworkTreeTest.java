package org.heartbeat.plugin.network.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.heartbeat.api.MetricPath;
import org.heartbeat.api.Metrics;
import org.junit.jupiter.api.Test;

class NetworkTreeTest {
    private static final long SECOND = 1_000_000_000L;
    private static final List<String> RATES = List.of("bytes_in_per_s", "bytes_out_per_s", "packets_in_per_s",
            "packets_out_per_s", "errors_in_per_s", "errors_out_per_s", "drops_in_per_s", "drops_out_per_s");

    @Test
    void ratesArePerSecondBetweenTheSamples() {
        NetworkSample before = sample(0, eth0(1000, 500, 10, 5, 0, 1, 2, 3));
        NetworkSample after = sample(2 * SECOND, eth0(3500, 1500, 30, 9, 0, 3, 2, 4));

        Metrics m = NetworkTree.build(before, after, InterfaceFilter.DEFAULT);

        assertThat(iface(m, "eth0")).containsExactly(entry("bytes_in_per_s", 1250.0), entry("bytes_out_per_s", 500.0),
                entry("packets_in_per_s", 10.0), entry("packets_out_per_s", 2.0), entry("errors_in_per_s", 0.0),
                entry("errors_out_per_s", 1.0), entry("drops_in_per_s", 0.0), entry("drops_out_per_s", 0.5),
                entry("up", true), entry("speed_mbps", 1000L), entry("mtu", 1500L));
    }

    @Test
    void withoutAnEarlierSampleThereAreNoRates() {
        Metrics m = NetworkTree.build(null, sample(0, eth0(1, 1, 1, 1, 1, 1, 1, 1)), InterfaceFilter.DEFAULT);

        assertThat(iface(m, "eth0")).containsOnlyKeys("up", "speed_mbps", "mtu");
    }

    @Test
    void withoutTimeBetweenTheSamplesThereAreNoRates() {
        NetworkSample before = sample(5 * SECOND, eth0(1, 1, 1, 1, 1, 1, 1, 1));

        assertThat(iface(NetworkTree.build(before, sample(5 * SECOND, eth0(2, 2, 2, 2, 2, 2, 2, 2)),
                InterfaceFilter.DEFAULT), "eth0")).doesNotContainKeys(RATES.toArray(String[]::new));
        assertThat(iface(NetworkTree.build(before, sample(4 * SECOND, eth0(2, 2, 2, 2, 2, 2, 2, 2)),
                InterfaceFilter.DEFAULT), "eth0")).doesNotContainKeys(RATES.toArray(String[]::new));
    }

    @Test
    void aCounterThatWentBackwardsLeavesOutEveryRateOfItsInterfaceOnly() {
        NetworkSample before = sample(0, eth0(1_000_000, 500, 10, 5, 0, 0, 0, 0), wlan0(100));
        // eth0 was reset: bytes in went back, packets out did not yet
        NetworkSample after = sample(SECOND, eth0(2000, 600, 20, 7, 0, 0, 0, 0), wlan0(300));

        Metrics m = NetworkTree.build(before, after, InterfaceFilter.DEFAULT);

        assertThat(iface(m, "eth0")).containsOnlyKeys("up", "speed_mbps", "mtu");
        assertThat(iface(m, "wlan0")).containsEntry("bytes_in_per_s", 200.0);
    }

    @Test
    void anInterfaceCreatedAnewHasNoRatesEvenWhenItsCountersLookFine() {
        NetworkSample before = sample(0, new Interface("eth0", 2, false, true, 0, 1500, counters(100, 100)));
        NetworkSample after = sample(SECOND, new Interface("eth0", 7, false, true, 0, 1500, counters(900, 900)));
        NetworkSample unknownIndex = sample(SECOND, new Interface("eth0", 0, false, true, 0, 1500, counters(900, 900)));

        assertThat(iface(NetworkTree.build(before, after, InterfaceFilter.DEFAULT), "eth0"))
                .doesNotContainKey("bytes_in_per_s");
        assertThat(iface(NetworkTree.build(before, unknownIndex, InterfaceFilter.DEFAULT), "eth0"))
                .containsEntry("bytes_in_per_s", 800.0);
    }

    @Test
    void aNewInterfaceHasNoRatesUntilItsSecondSample() {
        NetworkSample before = sample(0, wlan0(100));
        NetworkSample after = sample(SECOND, wlan0(200), eth0(5, 5, 5, 5, 5, 5, 5, 5));

        Metrics m = NetworkTree.build(before, after, InterfaceFilter.DEFAULT);

        assertThat(iface(m, "eth0")).containsOnlyKeys("up", "speed_mbps", "mtu");
        assertThat(iface(m, "wlan0")).containsEntry("bytes_in_per_s", 100.0);
    }

    @Test
    void countersAreUnsigned64Bit() {
        NetworkSample before = sample(0, new Interface("eth0", 1, false, true, 0, 0, counters(-10, Long.MAX_VALUE)));
        NetworkSample after = sample(SECOND, new Interface("eth0", 1, false, true, 0, 0, counters(-4, Long.MIN_VALUE)));

        assertThat(iface(NetworkTree.build(before, after, InterfaceFilter.DEFAULT), "eth0"))
                .containsEntry("bytes_in_per_s", 6.0).containsEntry("bytes_out_per_s", 1.0);
        assertThat(NetworkTree.unsigned(-1)).isEqualTo(18446744073709551615.0);
        assertThat(NetworkTree.unsigned(Long.MIN_VALUE)).isEqualTo(9223372036854775808.0);
        assertThat(NetworkTree.unsigned(42)).isEqualTo(42.0);
    }

    @Test
    void aCounterTheSystemDoesNotKeepHasNoRate() {
        NetworkSample before = sample(0, new Interface("en0", 1, false, true, 0, 1500, counters(100, 100)));
        NetworkSample after = sample(SECOND, new Interface("en0", 1, false, true, 0, 1500, counters(300, 150)));

        assertThat(iface(NetworkTree.build(before, after, InterfaceFilter.DEFAULT), "en0"))
                .containsOnlyKeys("bytes_in_per_s", "bytes_out_per_s", "up", "mtu");
    }

    @Test
    void theLoopbackIsSkippedUnlessIncluded() {
        NetworkSample s = sample(0, lo(), eth0(0, 0, 0, 0, 0, 0, 0, 0), wlan0(0),
                new Interface("veth12ab", 9, false, true, 10_000_000_000L, 1500, Map.of()));

        assertThat(interfaces(NetworkTree.build(null, s, InterfaceFilter.DEFAULT)))
                .containsOnlyKeys("eth0", "wlan0", "veth12ab");
        assertThat(interfaces(NetworkTree.build(null, s, filter(List.of("lo"), null)))).containsOnlyKeys("lo");
        assertThat(interfaces(NetworkTree.build(null, s, filter(List.of("*"), List.of("veth*")))))
                .containsOnlyKeys("lo", "eth0", "wlan0");
        assertThat(interfaces(NetworkTree.build(null, s, filter(List.of("eth*", "wlan0"), List.of("wlan0")))))
                .containsOnlyKeys("eth0");
        assertThat(interfaces(NetworkTree.build(null, s, filter(null, List.of("veth*", "eth0")))))
                .containsOnlyKeys("wlan0");
    }

    @Test
    void speedIsInWholeMegabitsAndLeftOutWhenUnknown() {
        assertThat(speed(1_000_000_000L)).hasValue(1000.0);
        assertThat(speed(866_700_000L)).hasValue(867.0);
        assertThat(speed(1_000_000L)).hasValue(1.0);
        assertThat(speed(400_000L)).isEmpty();
        assertThat(speed(0)).isEmpty();
        assertThat(speed(-1)).isEmpty();
    }

    @Test
    void anUnknownStateOrMtuIsLeftOut() {
        Metrics m = NetworkTree.build(null, sample(0, new Interface("tun0", 3, false, null, 0, 0, Map.of()),
                new Interface("tun1", 4, false, false, 0, 1400, Map.of())), InterfaceFilter.DEFAULT);

        assertThat(interfaces(m)).containsOnlyKeys("tun1");
        assertThat(iface(m, "tun1")).containsExactly(entry("up", false), entry("mtu", 1400L));
    }

    @Test
    void namesWithDotsAndDashesAreKeysThatPathsReach() {
        NetworkSample s = sample(0, new Interface("eth0.100", 5, false, true, 0, 1500, Map.of()),
                new Interface("br-1a2b/x", 6, false, true, 0, 1500, Map.of()));

        Metrics m = NetworkTree.build(null, s, InterfaceFilter.DEFAULT);

        assertThat(m.get(MetricPath.parse("/interfaces/eth0.100/mtu"))).hasValue(1500L);
        assertThat(m.get(MetricPath.parse("/interfaces/br-1a2b~1x/up"))).hasValue(true);
    }

    @Test
    void noInterfacesAreAnEmptyMap() {
        assertThat(NetworkTree.build(null, sample(0, lo()), InterfaceFilter.DEFAULT).asMap())
                .containsExactly(entry("interfaces", Map.of()));
    }

    @Test
    void whateverIsReadEveryRateIsFiniteAndNotNegative() {
        Random random = new Random(3);
        long[] interesting = {-1, 0, 1, Long.MAX_VALUE, Long.MIN_VALUE};
        for (int run = 0; run < 5000; run++) {
            List<Interface> was = new ArrayList<>();
            List<Interface> is = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                was.add(random(random, "if" + i, interesting));
                is.add(random(random, "if" + i, interesting));
            }
            long[] times = {0, 1, -1, SECOND, Long.MAX_VALUE};

            Metrics m = NetworkTree.build(new NetworkSample(times[random.nextInt(times.length)], was),
                    new NetworkSample(times[random.nextInt(times.length)], is), InterfaceFilter.DEFAULT);

            m.leaves().forEach((path, value) -> {
                if (value instanceof Double d) {
                    assertThat(Double.isFinite(d) && d >= 0).as("%s = %s", path, d).isTrue();
                } else if (value instanceof Long l) {
                    assertThat(l).as("%s", path).isPositive();
                }
            });
        }
    }

    private static Interface random(Random random, String name, long[] interesting) {
        Map<Counter, Long> counters = new EnumMap<>(Counter.class);
        for (Counter c : Counter.values()) {
            if (random.nextInt(8) > 0) {
                counters.put(c, random.nextBoolean() ? interesting[random.nextInt(interesting.length)] : random.nextLong());
            }
        }
        return new Interface(name, random.nextInt(3), false, random.nextBoolean(), random.nextLong(), random.nextLong(),
                counters);
    }

    private static java.util.Optional<Double> speed(long bitsPerSecond) {
        Metrics m = NetworkTree.build(null, sample(0, new Interface("eth0", 1, false, true, bitsPerSecond, 1500,
                Map.of())), InterfaceFilter.DEFAULT);
        return m.number(MetricPath.of("interfaces", "eth0", "speed_mbps"));
    }

    static Map<String, Object> interfaces(Metrics m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> i = (Map<String, Object>) m.asMap().get("interfaces");
        return i;
    }

    static Map<String, Object> iface(Metrics m, String name) {
        @SuppressWarnings("unchecked")
        Map<String, Object> i = (Map<String, Object>) interfaces(m).get(name);
        return i;
    }

    private static NetworkSample sample(long nanos, Interface... interfaces) {
        return new NetworkSample(nanos, List.of(interfaces));
    }

    private static Interface eth0(long bytesIn, long bytesOut, long packetsIn, long packetsOut, long errorsIn,
            long errorsOut, long dropsIn, long dropsOut) {
        Map<Counter, Long> c = new EnumMap<>(Counter.class);
        long[] values = {bytesIn, bytesOut, packetsIn, packetsOut, errorsIn, errorsOut, dropsIn, dropsOut};
        for (Counter counter : Counter.values()) {
            c.put(counter, values[counter.ordinal()]);
        }
        return new Interface("eth0", 2, false, true, 1_000_000_000L, 1500, c);
    }

    private static Interface wlan0(long bytesIn) {
        return new Interface("wlan0", 3, false, true, 0, 1500, counters(bytesIn, 0));
    }

    private static Interface lo() {
        return new Interface("lo", 1, true, true, 0, 65536, counters(0, 0));
    }

    private static Map<Counter, Long> counters(long bytesIn, long bytesOut) {
        return Map.of(Counter.BYTES_IN, bytesIn, Counter.BYTES_OUT, bytesOut);
    }

    private static InterfaceFilter filter(List<String> include, List<String> exclude) {
        return new InterfaceFilter(include == null ? null : include.toArray(String[]::new),
                exclude == null ? null : exclude.toArray(String[]::new));
    }
}
