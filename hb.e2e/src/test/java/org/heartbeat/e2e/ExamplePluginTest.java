package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * examples/uptime-monitor as its author uses it (docs/PLUGIN_DEVELOPMENT.md): built on its own with its own pom
 * against hb.api, its jar dropped into a running hbc whose configuration already names it, its values read back
 * from hbd's API.
 *
 * <p>Nothing is written into the source tree or the user's Maven repository, and nothing is downloaded: the
 * example is built offline ({@code -o}) from a copy, against a local repository of the test's own that holds only
 * the reactor's hb.api and reads everything else from the user's repository (Maven's
 * {@code maven.repo.local.tail}), where the build of Heartbeat itself put the plugins the example pins (the same
 * versions as Heartbeat's: bnd, compiler, surefire, jar, resources, install).
 */
@EnabledOnOs(OS.LINUX) // the example reads /proc
class ExamplePluginTest {
    private static final Path EXAMPLE = Dist.SOURCE.resolve("examples/uptime-monitor");
    private static final Path MVNW = Dist.SOURCE.resolve("mvnw");
    private static final String HOST = "e2e-example";
    private static final String PLUGIN = "uptime_monitor";

    @BeforeAll
    static void built() throws IOException {
        Dist.requireBuilt();
        hbApiJar();
    }

    @Test
    void theExamplePluginBuildsOnItsOwnAndItsValuesReachTheServer(@TempDir Path dir) throws Exception {
        Path jar = buildExample(dir);
        Manifest manifest = manifest(jar);
        assertThat(manifest.getMainAttributes().getValue("Bundle-SymbolicName")).isEqualTo("com.example.uptime");
        assertThat(manifest.getMainAttributes().getValue("Import-Package")).contains("org.heartbeat.api;version=");

        Path plugins = Files.createDirectories(dir.resolve("client-plugins"));
        Path clientConfig = dir.resolve("hbc.yaml");
        Files.writeString(clientConfig, "interval: 1\nplugin_dir: " + plugins + "\nplugins:\n  " + PLUGIN
                + ":\n    interval: 2\n    report_idle: true\n");
        try (Hbd hbd = Hbd.start(dir, "");
                RunningProcess hbc = Clients.hbc(dir, "-v", "-c", clientConfig.toString(), "-n", HOST,
                        "127.0.0.1:" + hbd.udpPort)) {
            awaitLog(hbc, "plugins configured: " + PLUGIN);
            awaitLog(hbc, "reporting as " + HOST);
            assertThat(hbc.output()).as("configured, but no bundle yet").doesNotContain("plugin " + PLUGIN);

            double uptimeBefore = procUptime();
            Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Path deployed = plugins.resolve("uptime-monitor.jar");
            Path partial = Files.copy(jar, plugins.resolve(".uptime-monitor.jar.tmp")); // not *.jar: not picked up
            Files.move(partial, deployed, StandardCopyOption.ATOMIC_MOVE);

            awaitLog(hbc, "plugin " + PLUGIN + " (\\(.*\\) )?collects every 2(\\.0)? s");
            // three values: uptime_seconds, boot_time and, as report_idle reached the plugin, idle_percent
            awaitLog(hbc, "plugin " + PLUGIN + ": sent 3 values");
            await("plugin datagrams counted by hbd").atMost(Duration.ofSeconds(10))
                    .until(() -> hbd.get("/api/status").body().path("datagrams").path("plugin_messages").asLong() > 0);

            Hbd.Response response = await(PLUGIN + "'s values at GET /api/hosts/" + HOST + "/plugins")
                    .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> hbd.get("/api/hosts/" + HOST + "/plugins"), r -> r.status() == 200
                            && r.body().path("plugins").path(PLUGIN).path("values").isObject());
            double uptimeAfter = procUptime();
            Instant after = Instant.now();

            assertThat(response.body().path("host").asText()).isEqualTo(HOST);
            JsonNode plugin = response.body().path("plugins").path(PLUGIN);
            assertThat(plugin.path("error").isNull()).as("error in %s", plugin).isTrue();
            assertThat(plugin.path("interval").asDouble()).isEqualTo(2.0);
            assertThat(Instant.parse(plugin.path("time").asText())).isBetween(before, after);
            JsonNode values = plugin.path("values");
            assertThat(values.path("uptime_seconds").isNumber()).as("uptime_seconds in %s", values).isTrue();
            assertThat(values.path("uptime_seconds").asDouble()).isBetween(uptimeBefore, uptimeAfter);
            assertThat(values.path("boot_time").asLong())
                    .isCloseTo(after.getEpochSecond() - (long) uptimeAfter, within(5L));
            assertThat(values.path("idle_percent").asDouble(-1)).isBetween(0.0, 100.0);

            Files.delete(deployed);
            awaitLog(hbc, "plugin " + PLUGIN + " removed");
        }
    }

    /** Waits for a line of hbc's log; fails with the whole log. */
    private static void awaitLog(RunningProcess hbc, String regex) {
        try {
            hbc.awaitLine(regex, Duration.ofSeconds(20));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no line /" + regex + "/ in hbc's log:\n" + hbc.output(), e);
        }
    }

    /** hb.api as the reactor built it: hb.api/target/hb.api-VERSION.jar. */
    private static Path hbApiJar() throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(Dist.SOURCE.resolve("hb.api/target"), "hb.api-*.jar")) {
            s.forEach(p -> {
                if (!p.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar")) {
                    jars.add(p);
                }
            });
        } catch (NoSuchFileException e) {
            // reported below
        }
        if (jars.size() != 1) {
            throw new IllegalStateException("expected one hb.api jar in " + Dist.SOURCE.resolve("hb.api/target")
                    + ", found " + jars + "; build it first (mvn package)");
        }
        return jars.get(0);
    }

    /**
     * Installs hb.api into a local repository of the test's own, then builds a copy of the example with its own
     * pom against it, offline, and returns the bundle.
     */
    private static Path buildExample(Path dir) throws Exception {
        Path api = hbApiJar();
        String version = api.getFileName().toString().replaceFirst("^hb\\.api-(.*)\\.jar$", "$1");
        Path repo = dir.resolve("m2");
        mvnw(dir, "install-hb.api", "org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file",
                "-Dfile=" + api, "-DgroupId=org.heartbeat", "-DartifactId=hb.api", "-Dversion=" + version,
                "-Dpackaging=jar", "-DgeneratePom=true", "-Dmaven.repo.local=" + repo,
                "-Dmaven.repo.local.tail=" + userRepository());

        Path project = dir.resolve("uptime-monitor");
        copyWithoutTarget(EXAMPLE, project);
        mvnw(project, "build-example", "-f", project.resolve("pom.xml").toString(), "package",
                "-Dmaven.repo.local=" + repo, "-Dmaven.repo.local.tail=" + userRepository());

        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(project.resolve("target"), "*.jar")) {
            s.forEach(jars::add);
        }
        assertThat(jars).as("bundles built by the example").hasSize(1);
        return jars.get(0);
    }

    /** The user's local Maven repository, which the build of this module itself reads from. */
    private static Path userRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** Runs the source tree's ./mvnw offline in batch mode in {@code dir}; fails with its output. */
    private static void mvnw(Path dir, String name, String... args) throws Exception {
        // offline: the build must not depend on a network
        List<String> cmd = new ArrayList<>(List.of(MVNW.toString(), "-B", "-ntp", "-o"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve(name + ".out");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " still running after 5 minutes:\n"
                    + Files.readString(out, StandardCharsets.UTF_8));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed with status " + p.exitValue() + ":\n"
                    + Files.readString(out, StandardCharsets.UTF_8));
        }
    }

    private static void copyWithoutTarget(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(p);
                if (relative.startsWith("target")) {
                    continue;
                }
                Path copy = to.resolve(relative.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(p, copy);
                }
            }
        }
    }

    private static Manifest manifest(Path jar) throws IOException {
        try (InputStream in = Files.newInputStream(jar); JarInputStream j = new JarInputStream(in)) {
            return j.getManifest();
        }
    }

    private static double procUptime() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
    }
}
