package org.heartbeat.server.internal.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;

import org.heartbeat.api.Metrics;
import org.heartbeat.server.api.ListenerStatus;
import org.heartbeat.server.api.event.HostEventListener;
import org.heartbeat.server.api.plugin.PluginFailure;
import org.heartbeat.server.api.plugin.PluginListener;
import org.heartbeat.server.api.plugin.PluginSample;
import org.heartbeat.server.internal.Components;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SampleDeliveryTest {
    private static final Duration SOON = Duration.ofSeconds(10);
    private final Components.RecordingLogger log = new Components.RecordingLogger();
    private final SampleDelivery delivery = new SampleDelivery(log.logger);

    @AfterEach
    void stop() {
        delivery.deactivate();
    }

    private static PluginSample sample(String host, String plugin, double value) {
        Instant now = Instant.now();
        return new PluginSample(host, plugin, now, now, Duration.ofSeconds(10),
                Metrics.builder().put("value", value).build());
    }

    /** Records reports; blocks on the first one until released. */
    private static final class Gate implements PluginListener {
        final CountDownLatch release = new CountDownLatch(1);
        final List<Object> got = new CopyOnWriteArrayList<>();

        @Override
        public void sample(PluginSample s) throws InterruptedException {
            got.add(s);
            release.await();
        }

        @Override
        public void failure(PluginFailure f) {
            got.add(f);
        }
    }

    @Test
    void aListenerGetsSamplesAndFailuresInArrivalOrder() {
        Gate open = new Gate();
        open.release.countDown();
        delivery.addListener(open, Map.of(HostEventListener.NAME, "open"));
        PluginSample a = sample("web1", "cpu_monitor", 1);
        PluginFailure f = new PluginFailure("web1", "disk_monitor", Instant.now(), null, "timed out");
        PluginSample b = sample("web2", "cpu_monitor", 2);

        delivery.publish(a);
        delivery.publish(f);
        delivery.publish(b);

        await().atMost(SOON).until(() -> open.got.size() == 3);
        assertThat(open.got).containsExactly(a, f, b);
    }

    @Test
    void aStalledListenerGetsTheNewestReportOfEachSeriesAndThePublisherNeverWaits() {
        Gate slow = new Gate();
        delivery.addListener(slow, Map.of(HostEventListener.NAME, "slow"));
        delivery.publish(sample("web1", "cpu_monitor", 0));
        await().atMost(SOON).until(() -> slow.got.size() == 1);

        long start = System.nanoTime();
        for (int i = 1; i <= 10_000; i++) {
            delivery.publish(sample("web1", "cpu_monitor", i));
            delivery.publish(sample("web2", "cpu_monitor", -i));
        }
        long publishMillis = (System.nanoTime() - start) / 1_000_000;

        ListenerStatus status = delivery.status().get(0);
        assertThat(status.behind()).isEqualTo(2);
        assertThat(status.coalesced()).isEqualTo(19_998);
        assertThat(publishMillis).as("20,000 publishes while the listener is stuck").isLessThan(5_000);

        slow.release.countDown();
        await().atMost(SOON).until(() -> slow.got.size() == 3);
        assertThat(slow.got.subList(1, 3)).extracting(s -> ((PluginSample) s).values().asMap().get("value"))
                .containsExactly(10_000.0, -10_000.0);
    }

    @Test
    void aListenerThatThrowsIsCountedAndKeepsGettingSamples() {
        List<PluginSample> got = new CopyOnWriteArrayList<>();
        PluginListener flaky = s -> {
            got.add(s);
            throw new IllegalStateException("no space left");
        };
        delivery.addListener(flaky, Map.of(HostEventListener.NAME, "flaky"));
        delivery.publish(sample("a", "p", 1));
        delivery.publish(sample("b", "p", 1));

        await().atMost(SOON).until(() -> got.size() == 2);
        await().atMost(SOON).until(() -> delivery.status().get(0).failures() == 2);
        assertThat(log.lines).anyMatch(l -> l.contains("flaky") && l.contains("no space left"));
    }

    @Test
    void withoutListenersPublishingCostsNothing() {
        delivery.publish(sample("a", "p", 1));
        assertThat(delivery.status()).isEmpty();
    }
}
