package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.heartbeat.protocol.HostKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hbc with -k: accepted with its own key, refused with another's; hbd hostkey's instructions work. */
class SignedClientTest {
    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    @Test
    void theKeyFromHbdHostkeyAuthenticatesAndAnotherKeyIsRefused(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("web1.key");
        String snippet = MiniClientsTest.hostkey(dir, "e2e-signed", key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        Path wrong = dir.resolve("wrong.key");
        Files.writeString(wrong, HostKey.generate().toBase64() + "\n");

        try (Hbd hbd = Hbd.start(dir, "interval: 1\ngrace: 1\n" + snippet + "\n");
                RunningProcess good = Clients.hbc(dir, "-i", "1", "-k", key.toString(), "-n", "e2e-signed",
                        "127.0.0.1:" + hbd.udpPort)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> hbd.status("e2e-signed").equals("up"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !hbd.host("e2e-signed").orElseThrow().path("rtt_ms").isNull());
            assertThat(hbd.host("e2e-signed").orElseThrow().path("authenticated").asBoolean()).isTrue();
            good.stop();
            await().atMost(Duration.ofSeconds(6)).until(() -> hbd.status("e2e-signed").equals("overdue"));

            try (RunningProcess impostor = Clients.hbc(dir, "-i", "1", "-k", wrong.toString(), "-n", "e2e-signed",
                    "127.0.0.1:" + hbd.udpPort)) {
                impostor.awaitLine("does not answer", Duration.ofSeconds(20));
                assertThat(hbd.status("e2e-signed")).isEqualTo("overdue");
                assertThat(hbd.get("/api/status").body().path("datagrams").path("dropped_bad_mac").asLong())
                        .isPositive();
            }
        }
    }
}
