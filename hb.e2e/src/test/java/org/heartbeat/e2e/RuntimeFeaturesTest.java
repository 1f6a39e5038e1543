package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the real programs do beyond heartbeats: hot deploy in both runtimes, -d, host names, IPv6. */
class RuntimeFeaturesTest {
    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    /** Writes a bundle with nothing but a manifest, and moves it into the directory in one step. */
    private static Path dropBundle(Path pluginDir, String name) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", name);
        a.putValue("Bundle-Version", "1.0.0");
        Path tmp = Files.createTempFile(pluginDir.getParent(), name, ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        Path target = pluginDir.resolve(name + ".jar");
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private static void hotDeploys(RunningProcess runtime, Path pluginDir, String name) throws Exception {
        Path jar = dropBundle(pluginDir, name);
        runtime.awaitLine("\\[" + name + "\\] BundleEvent STARTED", Duration.ofSeconds(10));
        Files.delete(jar);
        runtime.awaitLine("\\[" + name + "\\] BundleEvent UNINSTALLED", Duration.ofSeconds(10));
    }

    @Test
    void aBundleDroppedIntoEitherRunningRuntimeStartsAndGoesWhenRemoved(@TempDir Path dir) throws Exception {
        Path serverPlugins = Files.createDirectories(dir.resolve("server-plugins"));
        Path clientPlugins = Files.createDirectories(dir.resolve("client-plugins"));
        Path clientConfig = dir.resolve("hbc.yaml");
        Files.writeString(clientConfig, "interval: 1\nplugin_dir: " + clientPlugins + "\n");
        try (Hbd hbd = Hbd.start(dir, "plugin_dir: " + serverPlugins + "\n", "-v");
                RunningProcess hbc = Clients.hbc(dir, "-v", "-c", clientConfig.toString(), "-n", "e2e-hot",
                        "127.0.0.1:" + hbd.udpPort)) {
            hotDeploys(hbd.process, serverPlugins, "e2ehotserver");
            hbc.awaitLine("reporting as e2e-hot", Duration.ofSeconds(20));
            hotDeploys(hbc, clientPlugins, "e2ehotclient");
            assertThat(hbd.status("e2e-hot")).as("heartbeats went on meanwhile").isEqualTo("up");
        }
    }

    @Test
    void hbcDashDRunsInTheBackground(@TempDir Path dir) throws Exception {
        try (Hbd hbd = Hbd.start(dir, "interval: 1\ngrace: 1\n")) {
            RunningProcess launcher = Clients.hbc(dir, "-d", "-i", "1", "-n", "e2e-daemon",
                    "127.0.0.1:" + hbd.udpPort);
            assertThat(launcher.awaitExit(Duration.ofSeconds(30))).isZero();
            Matcher m = Pattern.compile("running in the background as pid (\\d+)").matcher(launcher.output());
            assertThat(m.find()).as(launcher.output()).isTrue();
            ProcessHandle daemon = ProcessHandle.of(Long.parseLong(m.group(1))).orElseThrow();
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> hbd.status("e2e-daemon").equals("up"));
            } finally {
                daemon.destroy();
                daemon.onExit().get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(6)).until(() -> hbd.status("e2e-daemon").equals("overdue"));
        }
    }

    @Test
    void oneMachineIsOneHostWhicheverClientReports(@TempDir Path dir) throws Exception {
        Process hostname = new ProcessBuilder("hostname").start();
        String expected = new String(hostname.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        hostname.waitFor(10, TimeUnit.SECONDS);
        Path binary = Clients.compileMiniC(dir);
        try (Hbd hbd = Hbd.start(dir, "interval: 1\ngrace: 5\n");
                RunningProcess java = Clients.hbc(dir, "-i", "1", "127.0.0.1:" + hbd.udpPort);
                RunningProcess py = Clients.miniPython(dir, "-i", "1", "-m", "0", "-p",
                        Integer.toString(hbd.udpPort), "127.0.0.1");
                RunningProcess c = Clients.miniC(dir, binary, "-i", "1", "-m", "0", "-p",
                        Integer.toString(hbd.udpPort), "127.0.0.1")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> hbd.status(expected).equals("up")
                    && hbd.host(expected).orElseThrow().path("heartbeats").asLong() >= 6);
            assertThat(hbd.get("/api/hosts").body().findValuesAsText("name")).containsExactly(expected);
        }
    }

    @Test
    void serverAndClientSpeakIpv6(@TempDir Path dir) throws Exception {
        try (Hbd hbd = Hbd.start(dir, "listen: \"::1\"\ninterval: 1\ngrace: 1\n");
                RunningProcess hbc = Clients.hbc(dir, "-i", "1", "-n", "e2e-v6", "[::1]:" + hbd.udpPort)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> hbd.status("e2e-v6").equals("up"));
            assertThat(hbd.host("e2e-v6").orElseThrow().path("address").asText()).isEqualTo("::1");
        }
    }
}
