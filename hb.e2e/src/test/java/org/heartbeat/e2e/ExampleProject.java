package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A project of {@code examples/} built as its author builds it: a copy of it, with its own pom, {@code package},
 * offline ({@code mvnw -o}), against the Heartbeat jars this reactor built.
 *
 * <p>Nothing is written into the source tree or the user's Maven repository: the build uses a local repository of
 * the test's own that holds only the Heartbeat jars, and reads everything else from the user's repository
 * (Maven's {@code maven.repo.local.tail}), which the reactor's own build filled: the plugins, JUnit, and the
 * libraries the examples use (hb.e2e's pom names those the reactor does not use itself).
 */
final class ExampleProject {
    private static final Path MVNW = Dist.SOURCE.resolve("mvnw");

    private ExampleProject() {
    }

    /**
     * Builds {@code examples/NAME} in {@code dir} against the reactor's jars of {@code modules} (such as
     * {@code hb.api}) and returns the one bundle it makes.
     */
    static Path build(Path dir, String name, String... modules) throws Exception {
        Path repo = dir.resolve("m2");
        for (String module : modules) {
            install(reactorJar(module), module, repo);
        }
        Path project = dir.resolve(name);
        copyWithoutTarget(Dist.SOURCE.resolve("examples").resolve(name), project);
        mvnw(project, "build-" + name, "-o", "-f", project.resolve("pom.xml").toString(), "package",
                "-Dmaven.repo.local=" + repo, "-Dmaven.repo.local.tail=" + userRepository());

        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(project.resolve("target"), "*.jar")) {
            s.forEach(jars::add);
        }
        assertThat(jars).as("bundles built by examples/%s", name).hasSize(1);
        return jars.get(0);
    }

    /** Fails unless the reactor has built the jar of each module. */
    static void requireBuilt(String... modules) throws IOException {
        for (String module : modules) {
            reactorJar(module);
        }
    }

    static Manifest manifest(Path jar) throws IOException {
        try (InputStream in = Files.newInputStream(jar); JarInputStream j = new JarInputStream(in)) {
            return j.getManifest();
        }
    }

    /** A module's jar as the reactor built it: MODULE/target/MODULE-VERSION.jar. */
    private static Path reactorJar(String module) throws IOException {
        Path target = Dist.SOURCE.resolve(module).resolve("target");
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(target, module + "-*.jar")) {
            s.forEach(p -> {
                if (!p.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar")) {
                    jars.add(p);
                }
            });
        } catch (NoSuchFileException e) {
            // reported below
        }
        if (jars.size() != 1) {
            throw new IllegalStateException("expected one " + module + " jar in " + target + ", found " + jars
                    + "; build it first (mvn package)");
        }
        return jars.get(0);
    }

    /**
     * Puts a jar into {@code repo} where Maven looks for org.heartbeat:MODULE:VERSION, with a pom that names no
     * dependencies: what {@code install:install-file -DgeneratePom=true} does, without needing the install plugin,
     * which a machine that only ran {@code verify} lacks and an offline build cannot fetch.
     */
    private static void install(Path jar, String module, Path repo) throws IOException {
        String version = jar.getFileName().toString()
                .substring(module.length() + 1, jar.getFileName().toString().length() - ".jar".length());
        Path dir = Files.createDirectories(repo.resolve("org/heartbeat").resolve(module).resolve(version));
        Files.copy(jar, dir.resolve(module + "-" + version + ".jar"));
        Files.writeString(dir.resolve(module + "-" + version + ".pom"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>org.heartbeat</groupId>
                  <artifactId>%s</artifactId>
                  <version>%s</version>
                </project>
                """.formatted(module, version), StandardCharsets.UTF_8);
    }

    /** The user's local Maven repository, which the build of this module itself reads from. */
    private static Path userRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** Runs the source tree's ./mvnw in batch mode in {@code dir}; fails with its output. */
    private static void mvnw(Path dir, String name, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(MVNW.toString(), "-B", "-ntp"));
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
}
