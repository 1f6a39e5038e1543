package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hbd notify} with no daemon running: it sends through a short-lived hbd on the operator's configuration, and
 * touches none of the operator's files.
 */
class NotifyWithoutDaemonTest {
    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    @Test
    void sendsThroughAShortLivedHbdAndSaysPerChannelHowItWent(@TempDir Path dir) throws Exception {
        try (LocalPushover pushover = new LocalPushover(LifecycleTest.TOKEN, LifecycleTest.USER)) {
            Path config = dir.resolve("hb.yaml");
            Files.writeString(config, LifecycleTest.config(pushover, """
                    pickfile: DIR/hb.pick
                    hosts:
                      web1: {interval: 1}
                    """.replace("DIR", dir.toString())).replace("    max_per_hour: 0\n",
                    "    max_per_hour: 0\n  chat:\n    type: nosuchtype\n    url: http://127.0.0.1:9/\n"));
            Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));

            RunningProcess notify = RunningProcess.start("hbd notify", dir,
                    List.of(Dist.HBD.toString(), "notify", "-c", config.toString()), Map.of("HOME", dir.toString()));
            assertThat(notify.awaitExit(Duration.ofSeconds(90))).as(notify.output()).isEqualTo(1);
            assertThat(notify.output()).contains("no daemon runs: sending through a short-lived hbd")
                    .contains("ops: delivered")
                    .contains("chat: FAILED - no bundle provides channel type nosuchtype");
            assertThat(pushover.messages).singleElement().satisfies(m -> assertThat(m.title())
                    .isEqualTo("Heartbeat test message"));
            assertThat(pushover.problems).isEmpty();
            // the operator's state file and the rest were not touched
            assertThat(dir.resolve("hb.pick")).doesNotExist();
            assertThat(notify.output()).doesNotContain(LifecycleTest.TOKEN);
        }
    }
}
