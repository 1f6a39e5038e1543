package org.heartbeat.e2e;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One client, two servers: each gets every heartbeat and watches the host on its own. */
class TwoServersTest {
    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    @Test
    void bothServersSeeTheHostAndBothNoticeItsSilence(@TempDir Path dir) throws Exception {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        try (Hbd first = Hbd.start(a, "interval: 1\ngrace: 1\n");
                Hbd second = Hbd.start(b, "interval: 1\ngrace: 1\n");
                RunningProcess hbc = Clients.hbc(dir, "-i", "1", "-n", "e2e-two", "127.0.0.1:" + first.udpPort,
                        "127.0.0.1:" + second.udpPort)) {
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> first.status("e2e-two").equals("up") && second.status("e2e-two").equals("up"));
            hbc.stop();
            await().atMost(Duration.ofSeconds(6)).until(
                    () -> first.status("e2e-two").equals("overdue") && second.status("e2e-two").equals("overdue"));
        }
    }
}
