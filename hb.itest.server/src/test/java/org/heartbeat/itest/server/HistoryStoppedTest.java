package org.heartbeat.itest.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;

/**
 * The history is a bundle of its own on the server API: with it stopped, heartbeats are answered, overdue hosts are
 * noticed and the host list is served; only plugin values are unavailable (503) until it is back.
 */
class HistoryStoppedTest {
    @InjectBundleContext
    BundleContext context;

    private HbdUnderTest hbd;
    private Bundle history;

    @BeforeEach
    void setUp() throws Exception {
        history = Arrays.stream(context.getBundles()).filter(b -> "hb.server.history".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
            hbd = new HbdUnderTest(context);
            return true;
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        history.start();
        hbd.close();
    }

    @Test
    void withoutTheHistoryHeartbeatsOverdueDetectionAndTheHostListWork() throws Exception {
        history.stop();
        String host = "no-history-" + UUID.randomUUID().toString().substring(0, 8);
        long now = System.currentTimeMillis();

        hbd.exchange(Datagrams.encode(Heartbeat.of(host, now * 1000, now, 1000), null), Duration.ofSeconds(5));
        assertThat(hbd.host(host)).isPresent();
        assertThat(hbd.get("/api/hosts").body().findValuesAsText("name")).contains(host);
        await().atMost(Duration.ofSeconds(10)).until(() -> "overdue".equals(hbd.host(host).orElseThrow()
                .path("status").asText()));
        for (byte[] part : Datagrams.encodePluginSample(host, now, 60_000, "cpu_monitor", Map.of("cpu_percent", 12.5),
                null, parts -> now * 1000 + 1)) {
            hbd.send(part);
        }
        HbdUnderTest.Response plugins = hbd.get("/api/hosts/" + host + "/plugins");
        assertThat(plugins.status()).isEqualTo(503);
        assertThat(plugins.body().path("error").asText()).contains("history bundle");
        assertThat(hbd.get("/api/status").body().has("history")).isFalse();

        history.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> hbd.get("/api/hosts/" + host + "/plugins").status() == 200);
        assertThat(hbd.get("/api/status").body().has("history")).isTrue();
    }
}
