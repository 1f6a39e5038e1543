package org.heartbeat.itest.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Random;

import org.heartbeat.protocol.Ack;
import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;

/** Whatever arrives that is not a valid datagram is counted and never answered, and the server goes on. */
class GarbageTest {
    @InjectBundleContext
    BundleContext context;

    private HbdUnderTest hbd;

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

    @Test
    void garbageIsNeverAnsweredAndCounted() throws Exception {
        Map<String, Long> before = counters();
        long receivedBefore = before.get("received");
        long ackedBefore = before.get("acked");
        long refusedBefore = before.entrySet().stream().filter(e -> e.getKey().startsWith("malformed_")
                || e.getKey().startsWith("dropped_")).mapToLong(Map.Entry::getValue).sum();
        Random random = new Random(42);
        byte[] valid = Datagrams.encode(Heartbeat.of("garbage-test", 1, System.currentTimeMillis(), 1000), null);
        long sent = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] d;
            switch (i % 4) {
                case 0 -> {
                    d = new byte[random.nextInt(1500)];
                    random.nextBytes(d);
                }
                case 1 -> d = java.util.Arrays.copyOf(valid, random.nextInt(valid.length));
                case 2 -> {
                    d = valid.clone();
                    d[random.nextInt(6)] ^= (byte) (1 << random.nextInt(8));
                }
                default -> {
                    d = new byte[1500];
                    System.arraycopy(valid, 0, d, 0, 6);
                }
            }
            hbd.send(d);
            sent++;
        }
        // the receiver takes datagrams in order on one thread: once a valid heartbeat sent after the garbage is
        // answered, everything that arrived before it was handled (the kernel may drop some; that is allowed)
        Ack marker = hbd.exchange(Datagrams.encode(Heartbeat.of("garbage-test", 2, System.currentTimeMillis(), 1000),
                null), Duration.ofSeconds(5));
        assertThat(marker.seq()).isEqualTo(2);
        assertThat(hbd.receive(Duration.ofMillis(500))).as("no answer to garbage").isEmpty();
        Map<String, Long> after = counters();
        long arrived = after.get("received") - receivedBefore - 1;
        assertThat(arrived).isPositive().isLessThanOrEqualTo(sent);
        assertThat(after.get("acked")).as("only the marker was answered").isEqualTo(ackedBefore + 1);
        long refused = after.entrySet().stream().filter(e -> e.getKey().startsWith("malformed_")
                || e.getKey().startsWith("dropped_")).mapToLong(Map.Entry::getValue).sum() - refusedBefore;
        assertThat(refused).as("every garbage datagram that arrived is counted as refused").isEqualTo(arrived);
    }

    private Map<String, Long> counters() throws Exception {
        Map<String, Long> out = new java.util.HashMap<>();
        hbd.get("/api/status").body().path("datagrams").properties()
                .forEach(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }
}
