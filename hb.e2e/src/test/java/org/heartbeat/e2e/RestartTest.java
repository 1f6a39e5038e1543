package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server restart loses no host, raises no false alarm for hosts that kept reporting, and does not report
 * again a host that was already overdue. The client keeps going through the outage.
 */
class RestartTest {
    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    private static long count(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).count();
    }

    @Test
    void aRestartLosesNoHostAndRepeatsNoOverdueReport(@TempDir Path dir) throws Exception {
        Path config = Hbd.writeConfig(dir, "interval: 1\ngrace: 1\n");
        Hbd first = Hbd.startWith(dir, config);
        // the restarted hbd takes over the port the first one bound
        first.pinPorts();
        int udp = first.udpPort;
        try (RunningProcess alive = Clients.hbc(dir, "-i", "1", "-n", "alive", "127.0.0.1:" + udp)) {
            RunningProcess gone = Clients.hbc(dir, "-i", "1", "-n", "gone", "127.0.0.1:" + udp);
            await().atMost(Duration.ofSeconds(15)).until(() -> first.status("alive").equals("up")
                    && first.status("gone").equals("up"));
            gone.stop();
            await().atMost(Duration.ofSeconds(6)).until(() -> first.status("gone").equals("overdue"));
            assertThat(count(first.log(), "gone is overdue")).isEqualTo(1);

            assertThat(first.process.stop()).as("hbd exit status after SIGTERM").isIn(0, 143);
            String saved = Files.readString(dir.resolve("hb.pick"));
            assertThat(saved).contains("\"name\":\"alive\"", "\"name\":\"gone\"");

            try (Hbd second = Hbd.startWith(dir, config)) {
                assertThat(second.log()).contains("restored 2 hosts");
                assertThat(second.status("gone")).isEqualTo("overdue");
                assertThat(second.status("alive")).isIn("unknown", "up");
                await().atMost(Duration.ofSeconds(5)).until(() -> second.status("alive").equals("up"));
                // A full interval plus grace, and then some, passes without a false or repeated report.
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() ->
                        !second.log().contains("alive is overdue") && !second.log().contains("gone is overdue"));
                assertThat(second.host("gone").orElseThrow().path("overdue_since").asText())
                        .as("the original overdue time is kept").isNotEmpty();
            }
        }
    }

    @Test
    void stateSurvivesAKillWithoutShutdown(@TempDir Path dir) throws Exception {
        Path config = Hbd.writeConfig(dir, "interval: 1\ngrace: 1\nsave_interval: 1\n");
        Hbd first = Hbd.startWith(dir, config);
        first.pinPorts();
        int udp = first.udpPort;
        try (RunningProcess client = Clients.hbc(dir, "-i", "1", "-n", "survivor", "127.0.0.1:" + udp)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> first.status("survivor").equals("up"));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> Files.exists(dir.resolve("hb.pick"))
                            && Files.readString(dir.resolve("hb.pick")).contains("survivor"));
            first.process.kill();
            try (Hbd second = Hbd.startWith(dir, config)) {
                assertThat(second.status("survivor")).isIn("unknown", "up");
                await().atMost(Duration.ofSeconds(5)).until(() -> second.status("survivor").equals("up"));
            }
        }
    }
}
