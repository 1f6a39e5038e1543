package org.heartbeat.itest.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Random;

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
        long receivedBefore = hbd.counter("received");
        long ackedBefore = hbd.counter("acked");
        Random random = new Random(42);
        byte[] valid = Datagrams.encode(Heartbeat.of("garbage-test", 1, System.currentTimeMillis(), 1000), null);
        int sent = 0;
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
        final int total = sent;
        await().atMost(Duration.ofSeconds(10)).until(() -> hbd.counter("received") >= receivedBefore + total);
        assertThat(hbd.receive(Duration.ofMillis(500))).as("no answer to garbage").isEmpty();
        assertThat(hbd.counter("acked")).isEqualTo(ackedBefore);
        long malformed = hbd.get("/api/status").body().path("datagrams").properties().stream()
                .filter(e -> e.getKey().startsWith("malformed_")).mapToLong(e -> e.getValue().asLong()).sum();
        assertThat(malformed).isGreaterThanOrEqualTo(total);

        hbd.exchange(Datagrams.encode(Heartbeat.of("garbage-test", 2, System.currentTimeMillis(), 1000), null),
                Duration.ofSeconds(5));
    }
}
