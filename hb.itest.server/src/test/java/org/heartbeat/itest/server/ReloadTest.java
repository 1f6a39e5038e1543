package org.heartbeat.itest.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.heartbeat.runtime.Launch;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * On SIGHUP (hbd reload sends it) the launcher runs the runtime's {@code Runnable} services marked
 * {@code heartbeat.signal=HUP}: the server reads its file again: a valid change is applied without a restart and
 * without losing hosts; a file with mistakes changes nothing. Here the test does what the launcher does.
 */
class ReloadTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    private HbdUnderTest hbd;
    private Path file;
    private String original;

    @BeforeEach
    void setUp() throws Exception {
        file = Path.of(context.getProperty("heartbeat.config"));
        original = Files.readString(file, StandardCharsets.UTF_8);
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
            hbd = new HbdUnderTest(context);
            return true;
        });
    }

    @AfterEach
    void restore() throws Exception {
        Files.writeString(file, original, StandardCharsets.UTF_8);
        hangup();
        await().atMost(Duration.ofSeconds(10)).until(() -> !hostsConfigured().contains("reloaded-host"));
        hbd.close();
    }

    /** What the launcher does on SIGHUP: every action for it, highest ranking first, one after the other. */
    private void hangup() throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences(Runnable.class.getName(),
                "(" + Launch.SIGNAL + "=HUP)");
        assertThat(refs).as("actions on SIGHUP: reopen the log, reload the configuration").hasSize(2);
        Arrays.sort(refs, Comparator.reverseOrder());
        for (ServiceReference<?> r : refs) {
            ((Runnable) context.getService(r)).run();
            context.ungetService(r);
        }
    }

    private String hostsConfigured() throws Exception {
        return String.join(",", (String[]) configAdmin.getConfiguration("org.heartbeat.server", "?")
                .getProperties().get("hosts"));
    }

    @Test
    void aValidChangeIsAppliedWithoutLosingHosts() throws Exception {
        hbd.exchange(Datagrams.encode(Heartbeat.of("before-reload", System.currentTimeMillis() * 1000,
                System.currentTimeMillis(), 1000), null), Duration.ofSeconds(5));

        Files.writeString(file, original + "  reloaded-host:\n    interval: 7\n", StandardCharsets.UTF_8);
        hangup();

        await().atMost(Duration.ofSeconds(10)).until(() -> hbd.host("reloaded-host").isPresent());
        assertThat(hbd.host("reloaded-host").orElseThrow().path("interval").asInt()).isEqualTo(7);
        assertThat(hbd.host("before-reload")).as("no host lost").isPresent();
        assertThat(hbd.host("signed-host")).isPresent();
    }

    @Test
    void aFileWithMistakesChangesNothing() throws Exception {
        Files.writeString(file, original + "  reloaded-host:\n    interval: 7\n", StandardCharsets.UTF_8);
        hangup();
        await().atMost(Duration.ofSeconds(10)).until(() -> hostsConfigured().contains("reloaded-host"));

        Files.writeString(file, original.replace("grace: 1", "grace: two") + "  another-host: {}\n",
                StandardCharsets.UTF_8);
        hangup();

        // the reload ran to its end in hangup(), and refused the file: nothing changed
        assertThat(hostsConfigured()).contains("reloaded-host").doesNotContain("another-host");
        assertThat(configAdmin.getConfiguration("org.heartbeat.server", "?").getProperties().get("grace"))
                .isEqualTo(1.0);
        hbd.exchange(Datagrams.encode(Heartbeat.of("after-bad-reload", System.currentTimeMillis() * 1000,
                System.currentTimeMillis(), 1000), null), Duration.ofSeconds(5));
    }
}
