package org.heartbeat.server.internal.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.PluginData;
import org.heartbeat.protocol.Values;
import org.junit.jupiter.api.Test;

class SampleAssemblerTest {
    private static final long NOW = 1_764_000_000_000L;

    private final SampleAssembler assembler = new SampleAssembler(1 << 20, SampleAssembler.TIMEOUT_MILLIS);

    /** A tree whose encoding needs several datagrams: a disk with many partitions. */
    private static Map<String, Object> bigTree(int partitions) {
        Map<String, Object> parts = new LinkedHashMap<>();
        for (int i = 0; i < partitions; i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("device", "/dev/mapper/volume-group-" + i);
            p.put("total", 1_000_000_000_000L + i);
            p.put("percent", i / 3.0);
            parts.put("/srv/data/" + i, p);
        }
        return Map.of("partitions", parts);
    }

    private static List<PluginData> split(String host, Map<String, Object> tree, long firstSeq) {
        List<PluginData> out = new ArrayList<>();
        for (byte[] d : Datagrams.encodePluginSample(host, NOW, 60_000, "disk_monitor", tree, null, n -> firstSeq)) {
            try {
                out.add((PluginData) Datagrams.decode(ByteBuffer.wrap(d)));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    @Test
    void aOnePartSampleIsCompleteAtOnce() throws Exception {
        List<PluginData> parts = split("web1", Map.of("cpu_percent", 12.5), 100);
        assertThat(parts).hasSize(1);
        assertThat(Values.decode(assembler.add(parts.get(0), NOW))).isEqualTo(Map.of("cpu_percent", 12.5));
        assertThat(assembler.waiting()).isZero();
    }

    @Test
    void partsInAnyOrderMakeTheSampleOnceTheLastArrives() throws Exception {
        Map<String, Object> tree = bigTree(100);
        List<PluginData> parts = split("web1", tree, 500);
        assertThat(parts.size()).isGreaterThan(3);
        Collections.shuffle(parts, new Random(7));
        for (int i = 0; i < parts.size() - 1; i++) {
            assertThat(assembler.add(parts.get(i), NOW + i)).isNull();
        }
        assertThat(assembler.waiting()).isEqualTo(1);
        byte[] whole = assembler.add(parts.get(parts.size() - 1), NOW + 100);
        assertThat(Values.decode(whole)).isEqualTo(tree);
        assertThat(assembler.waiting()).isZero();
        assertThat(assembler.waitingBytes()).isZero();
    }

    @Test
    void samplesOfDifferentHostsAndSequencesDoNotMix() throws Exception {
        Map<String, Object> a = bigTree(60);
        Map<String, Object> b = bigTree(61);
        List<PluginData> pa = split("web1", a, 1000);
        List<PluginData> pb = split("web2", b, 1000);
        List<PluginData> pc = split("web1", b, 2000);
        List<byte[]> done = new ArrayList<>();
        for (int i = 0; i < Math.max(pa.size(), Math.max(pb.size(), pc.size())); i++) {
            for (List<PluginData> l : List.of(pa, pb, pc)) {
                if (i < l.size()) {
                    byte[] w = assembler.add(l.get(i), NOW);
                    if (w != null) {
                        done.add(w);
                    }
                }
            }
        }
        assertThat(done).hasSize(3);
        assertThat(Values.decode(done.get(0))).isEqualTo(a);
        assertThat(List.of(Values.decode(done.get(1)), Values.decode(done.get(2)))).containsExactlyInAnyOrder(b, b);
    }

    @Test
    void aDuplicatePartIsCountedAndChangesNothing() throws Exception {
        Map<String, Object> tree = bigTree(50);
        List<PluginData> parts = split("web1", tree, 10);
        assertThat(assembler.add(parts.get(0), NOW)).isNull();
        assertThat(assembler.add(parts.get(0), NOW)).isNull();
        assertThat(assembler.duplicates()).isEqualTo(1);
        byte[] whole = null;
        for (PluginData p : parts.subList(1, parts.size())) {
            whole = assembler.add(p, NOW);
        }
        assertThat(Values.decode(whole)).isEqualTo(tree);
    }

    @Test
    void aSampleNotCompleteWithinTenSecondsIsDroppedAndItsLatePartsNeverComplete() {
        List<PluginData> parts = split("web1", bigTree(50), 10);
        assertThat(assembler.add(parts.get(0), NOW)).isNull();
        assertThat(assembler.add(parts.get(1), NOW + 9_999)).isNull();
        assertThat(assembler.dropped()).isZero();
        // the next datagram, of anything, sweeps it out
        split("web2", Map.of("x", 1L), 1).forEach(p -> assembler.add(p, NOW + 10_000));
        assertThat(assembler.dropped()).isEqualTo(1);
        assertThat(assembler.waitingBytes()).isZero();
        for (PluginData p : parts.subList(2, parts.size())) {
            assertThat(assembler.add(p, NOW + 10_001)).isNull();
        }
        assertThat(assembler.waiting()).as("the late parts wait, and will time out").isEqualTo(1);
    }

    @Test
    void waitingPartsNeverExceedTheByteLimit() {
        SampleAssembler small = new SampleAssembler(10_000, SampleAssembler.TIMEOUT_MILLIS);
        for (int s = 0; s < 50; s++) {
            List<PluginData> parts = split("web1", bigTree(50), 1000L * s);
            small.add(parts.get(0), NOW);
            small.add(parts.get(1), NOW);
            assertThat(small.waitingBytes()).isLessThanOrEqualTo(10_000);
        }
        assertThat(small.dropped()).isGreaterThan(40);
        assertThat(small.waiting()).isLessThan(10);
    }

    @Test
    void partsThatDisagreeOnTheirCountAreDropped() {
        List<PluginData> parts = split("web1", bigTree(50), 10);
        PluginData first = parts.get(0);
        PluginData liar = new PluginData("web1", 11, first.timeMillis(), first.intervalMillis(), first.plugin(), 1,
                first.parts() + 1, new byte[] {1, 2, 3});
        assembler.add(first, NOW);
        assertThat(assembler.add(liar, NOW)).isNull();
        assertThat(assembler.inconsistent()).isEqualTo(1);
        assertThat(assembler.waiting()).isZero();
    }
}
