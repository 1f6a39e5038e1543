package org.heartbeat.itest.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.heartbeat.protocol.PluginError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;

import com.fasterxml.jackson.databind.JsonNode;

/** Plugin samples and errors over real UDP into the running hbd: latest values, history and /metrics. */
class PluginDataTest {
    @InjectBundleContext
    BundleContext context;

    private HbdUnderTest hbd;
    private long seq = System.currentTimeMillis() * 1000;

    @BeforeEach
    void connect() throws Exception {
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
            hbd = new HbdUnderTest(context);
            return true;
        });
    }

    @AfterEach
    void close() {
        hbd.close();
    }

    /** A host that has checked in, so its plugin data is taken. */
    private String reportingHost() throws Exception {
        String host = "itest-" + UUID.randomUUID().toString().substring(0, 8);
        hbd.exchange(Datagrams.encode(new Heartbeat(host, seq++, System.currentTimeMillis(), 60_000, -1, 0, false, 0),
                null), Duration.ofSeconds(5));
        return host;
    }

    private void sendSample(String host, String plugin, Map<String, ?> tree) throws Exception {
        for (byte[] d : sample(host, plugin, tree)) {
            hbd.send(d);
        }
    }

    private List<byte[]> sample(String host, String plugin, Map<String, ?> tree) {
        List<byte[]> parts = Datagrams.encodePluginSample(host, System.currentTimeMillis(), 10_000, plugin, tree, null,
                n -> {
                    long first = seq;
                    seq += n;
                    return first;
                });
        return new ArrayList<>(parts);
    }

    private JsonNode plugins(String host) throws Exception {
        HbdUnderTest.Response r = hbd.get("/api/hosts/" + host + "/plugins");
        assertThat(r.status()).isEqualTo(200);
        return r.body().path("plugins");
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void aSampleShowsAsLatestValuesInHistoryAndInMetrics() throws Exception {
        String host = reportingHost();
        sendSample(host, "cpu_monitor", Map.of("cpu_percent", 12.5, "cores", 4L, "per_cpu_percent", List.of(10.0, 15.0)));

        await().atMost(Duration.ofSeconds(5)).until(() -> plugins(host).has("cpu_monitor"));
        JsonNode cpu = plugins(host).path("cpu_monitor");
        assertThat(cpu.path("status").asText()).isEqualTo("ok");
        assertThat(cpu.path("interval").asInt()).isEqualTo(10);
        assertThat(cpu.path("values").path("cpu_percent").asDouble()).isEqualTo(12.5);
        assertThat(cpu.path("values").path("cores").isIntegralNumber()).isTrue();
        assertThat(cpu.path("values").path("per_cpu_percent").get(1).asDouble()).isEqualTo(15.0);
        assertThat(cpu.path("error").isNull()).isTrue();
        assertThat(cpu.path("received").asText()).endsWith("Z");
        assertThat(hbd.get("/api/hosts/" + host + "/plugins/cpu_monitor").body().path("state").path("values")
                .path("cores").asInt()).isEqualTo(4);

        String history = "/api/hosts/" + host + "/plugins/cpu_monitor/history?metric=" + q("/per_cpu_percent/1");
        await().atMost(Duration.ofSeconds(5)).until(() -> hbd.get(history).status() == 200);
        JsonNode h = hbd.get(history).body();
        assertThat(h.path("metric").asText()).isEqualTo("/per_cpu_percent/1");
        assertThat(h.path("points")).hasSize(1);
        assertThat(h.path("points").get(0).path("value").asDouble()).isEqualTo(15.0);

        HbdUnderTest.Text metrics = hbd.text("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body())
                .contains("heartbeat_host_up{host=\"" + host + "\"} 1\n")
                .contains("heartbeat_plugin_value{host=\"" + host + "\",plugin=\"cpu_monitor\",metric=\"/cpu_percent\"} 12.5\n")
                .contains("heartbeat_plugin_value{host=\"" + host + "\",plugin=\"cpu_monitor\",metric=\"/per_cpu_percent/0\"} 10\n");
    }

    @Test
    void aSampleSplitOverManyDatagramsArrivesWholeInAnyOrder() throws Exception {
        String host = reportingHost();
        Map<String, Object> partitions = new LinkedHashMap<>();
        for (int i = 0; i < 120; i++) {
            partitions.put("/srv/volume." + i, Map.of("percent", i / 2.0, "device", "/dev/mapper/vg-data-" + i,
                    "total", 1_000_000_000_000L + i));
        }
        List<byte[]> parts = sample(host, "disk_monitor", Map.of("partitions", partitions));
        assertThat(parts.size()).isGreaterThan(4);
        // an incomplete sample first, which must never show
        List<byte[]> incomplete = sample(host, "disk_monitor", Map.of("partitions", Map.of("/never", partitions.get("/srv/volume.1"))));
        Collections.reverse(parts);
        for (byte[] d : parts) {
            hbd.send(d);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> plugins(host).has("disk_monitor"));
        JsonNode p = plugins(host).path("disk_monitor").path("values").path("partitions");
        assertThat(p.size()).isEqualTo(120);
        assertThat(p.path("/srv/volume.119").path("percent").asDouble()).isEqualTo(59.5);
        assertThat(incomplete).hasSize(1);

        await().atMost(Duration.ofSeconds(5)).until(() -> hbd.get("/api/hosts/" + host
                + "/plugins/disk_monitor/history?metric=" + q("/partitions/~1srv~1volume.7/percent")).status() == 200);
        JsonNode h = hbd.get("/api/hosts/" + host + "/plugins/disk_monitor/history?metric="
                + q("/partitions/~1srv~1volume.7/percent") + "&since=PT1H").body();
        assertThat(h.path("points").get(0).path("value").asDouble()).isEqualTo(3.5);
    }

    @Test
    void aPluginErrorMakesThePluginFailingWithItsMessage() throws Exception {
        String host = reportingHost();
        sendSample(host, "memory_monitor", Map.of("percent", 40.0));
        await().atMost(Duration.ofSeconds(5)).until(() -> plugins(host).has("memory_monitor"));
        hbd.send(Datagrams.encode(new PluginError(host, seq++, System.currentTimeMillis(), 10_000, "memory_monitor",
                "collection timed out after 10 s"), null));

        await().atMost(Duration.ofSeconds(5)).until(() -> plugins(host).path("memory_monitor").path("status")
                .asText().equals("failing"));
        JsonNode m = plugins(host).path("memory_monitor");
        assertThat(m.path("error").path("message").asText()).isEqualTo("collection timed out after 10 s");
        assertThat(m.path("values").path("percent").asDouble()).as("the last values stay").isEqualTo(40.0);
        assertThat(hbd.text("/metrics").body())
                .contains("heartbeat_plugin_failing{host=\"" + host + "\",plugin=\"memory_monitor\"} 1\n");
    }

    @Test
    void pluginDataOfAHostThatNeverCheckedInIsDroppedAndCounted() throws Exception {
        String stranger = "itest-stranger-" + UUID.randomUUID().toString().substring(0, 8);
        long before = hbd.counter("dropped_unknown_host");
        sendSample(stranger, "cpu_monitor", Map.of("cpu_percent", 1.0));
        await().atMost(Duration.ofSeconds(5)).until(() -> hbd.counter("dropped_unknown_host") > before);
        assertThat(hbd.get("/api/hosts/" + stranger).status()).isEqualTo(404);
        assertThat(hbd.get("/api/hosts/" + stranger + "/plugins").status()).isEqualTo(404);
    }

    @Test
    void historyRequestsWithMistakesAreAnsweredWithWhatIsWrong() throws Exception {
        String host = reportingHost();
        sendSample(host, "cpu_monitor", Map.of("cpu_percent", 1.0));
        String base = "/api/hosts/" + host + "/plugins/cpu_monitor/history";
        await().atMost(Duration.ofSeconds(5)).until(() -> hbd.get(base + "?metric=%2Fcpu_percent").status() == 200);

        HbdUnderTest.Response noMetric = hbd.get(base);
        assertThat(noMetric.status()).isEqualTo(400);
        assertThat(noMetric.body().path("error").asText()).startsWith("metric: required").contains("/cpu_percent");
        HbdUnderTest.Response badPointer = hbd.get(base + "?metric=cpu_percent");
        assertThat(badPointer.status()).isEqualTo(400);
        assertThat(badPointer.body().path("error").asText()).startsWith("metric: ");
        HbdUnderTest.Response badTime = hbd.get(base + "?metric=%2Fcpu_percent&since=yesterday");
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(badTime.body().path("error").asText()).startsWith("since: not an ISO-8601 time");
        HbdUnderTest.Response unknown = hbd.get(base + "?metric=%2Fload_1");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("error").asText()).contains("/load_1").contains("/cpu_percent");
        assertThat(hbd.get("/api/hosts/" + host + "/plugins/nothing").status()).isEqualTo(404);
        assertThat(hbd.get("/api/hosts/" + host + "/plugins/cpu_monitor/elsewhere").status()).isEqualTo(404);
    }

    /** An encoded value tree {"x": NaN}: well framed, but a number the protocol forbids. */
    private static byte[] treeWithNaN() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 + 2 + 2 + 1 + 1 + 8);
        b.put((byte) 'm').putShort((short) 1).putShort((short) 1).put((byte) 'x').put((byte) 'd')
                .putLong(Double.doubleToRawLongBits(Double.NaN));
        return b.array();
    }

    @Test
    void aBadValueTreeIsCountedByItsReasonWholeOrSplit() throws Exception {
        String host = reportingHost();
        long nonFinite = hbd.counter("malformed_non_finite");
        long pluginMessages = hbd.counter("plugin_messages");
        byte[] tree = treeWithNaN();
        long now = System.currentTimeMillis();

        hbd.send(Datagrams.encode(new org.heartbeat.protocol.PluginData(host, seq++, now, 10_000, "bad_plugin", 0, 1,
                tree), null));
        await().atMost(Duration.ofSeconds(5)).until(() -> hbd.counter("malformed_non_finite") == nonFinite + 1);
        assertThat(hbd.counter("plugin_messages")).as("a one-part sample with a bad tree is malformed, not taken")
                .isEqualTo(pluginMessages);

        long first = seq;
        seq += 2;
        byte[] head = java.util.Arrays.copyOfRange(tree, 0, 6);
        byte[] tail = java.util.Arrays.copyOfRange(tree, 6, tree.length);
        hbd.send(Datagrams.encode(new org.heartbeat.protocol.PluginData(host, first, now, 10_000, "bad_plugin", 0, 2,
                head), null));
        hbd.send(Datagrams.encode(new org.heartbeat.protocol.PluginData(host, first + 1, now, 10_000, "bad_plugin", 1,
                2, tail), null));
        await().atMost(Duration.ofSeconds(5)).until(() -> hbd.counter("malformed_non_finite") == nonFinite + 2);
        assertThat(hbd.get("/api/hosts/" + host + "/plugins").body().path("plugins").has("bad_plugin")).isFalse();
    }
}
