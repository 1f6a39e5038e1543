package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hbd cds} writes the class-data archives that {@code bin/hbd serve} and the other subcommands map, and ones
 * that do not fit (another installation directory) are ignored without a word.
 */
class CdsTest {
    /** How the JVM names a class it took from the dynamic archive, in -Xlog:class+load. */
    private static final String FROM_ARCHIVE = "source: shared objects file (top)";
    private static final String CORE_CLASS = "org.heartbeat.server.internal.host.HostTable ";
    /** How it names one taken from the subcommands' static archive; picocli's classes are Java 5 ones. */
    private static final String CLI_CLASS = "picocli.CommandLine source: ";
    private static final String FROM_STATIC_ARCHIVE = CLI_CLASS + "shared objects file\n";

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    @Test
    void theArchiveHbdCdsWritesHoldsTheClassesHbdLoadsWhileStarting(@TempDir Path dir) throws Exception {
        Path archive = Dist.HOME.resolve("lib/hbd.jsa");
        FileTime before = Files.exists(archive) ? Files.getLastModifiedTime(archive) : FileTime.fromMillis(0);
        RunningProcess cds = RunningProcess.start("hbd-cds", dir, List.of(Dist.HBD.toString(), "cds"));
        assertThat(cds.awaitExit(Duration.ofMinutes(2))).as(cds.output()).isZero();
        Path base = Dist.HOME.resolve("lib/base.jsa");
        assertThat(cds.output()).startsWith("wrote " + archive.toAbsolutePath().normalize().toRealPath())
                .contains("\nwrote " + base.toAbsolutePath().normalize().toRealPath());
        assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(before);
        assertThat(Files.getLastModifiedTime(base)).isGreaterThan(before);
        try (Stream<Path> lib = Files.list(archive.getParent())) {
            assertThat(lib.map(p -> p.getFileName().toString())).as("no partial archive left behind")
                    .noneMatch(name -> name.startsWith(".hbd.jsa") || name.startsWith(".base.jsa"));
        }

        String classes = startAndListClasses(Dist.HBD, dir);
        assertThat(classes).as("the bundles' classes from the dynamic archive, picocli's from the static one")
                .contains(CORE_CLASS + FROM_ARCHIVE).containsPattern(FROM_STATIC_ARCHIVE);
        assertThat(checkAndListClasses(Dist.HBD, dir)).containsPattern(FROM_STATIC_ARCHIVE);
    }

    @Test
    void anArchiveThatDoesNotFitIsIgnoredWithoutAWord(@TempDir Path dir) throws Exception {
        // a copy of the installation elsewhere: its lib/hbd.jsa was written for the original directory
        Path copy = dir.resolve("moved");
        copyTree(Dist.HOME, copy);
        assertThat(copy.resolve("lib/hbd.jsa")).exists();
        String classes = startAndListClasses(copy.resolve("bin/hbd"), dir);
        assertThat(classes).contains(CORE_CLASS).doesNotContain(FROM_ARCHIVE)
                .doesNotContainPattern(FROM_STATIC_ARCHIVE);
        assertThat(copy.resolve("lib/base.jsa")).exists();
        assertThat(checkAndListClasses(copy.resolve("bin/hbd"), dir)).contains(CLI_CLASS)
                .doesNotContainPattern(FROM_STATIC_ARCHIVE);
    }

    /**
     * Runs {@code hbd check -V} with the JVM's class loading logged to a file, checks that it prints its version and
     * nothing about an archive, and returns the log.
     */
    private static String checkAndListClasses(Path hbd, Path dir) throws Exception {
        Path log = Files.createTempDirectory(dir, "check-").resolve("classes.txt");
        try (RunningProcess p = RunningProcess.start("hbd-check", dir, List.of(hbd.toString(), "check", "-V"),
                Map.of("HBD_JAVA_OPTS", "-Xlog:class+load=info:file=" + log))) {
            assertThat(p.awaitExit(Duration.ofSeconds(30))).as(p.output()).isZero();
            assertThat(p.output().strip()).startsWith("hbd check (Heartbeat) ");
            assertThat(p.output()).doesNotContainIgnoringCase("archive").doesNotContainIgnoringCase("cds");
        }
        return Files.readString(log);
    }

    /**
     * Starts {@code hbd serve} with the JVM's class loading logged to a file, checks that it starts and says
     * nothing about the archive, stops it, and returns the log.
     */
    private static String startAndListClasses(Path hbd, Path dir) throws Exception {
        Path work = Files.createTempDirectory(dir, "serve-");
        Path log = work.resolve("classes.txt");
        Path config = Hbd.writeConfig(work, "");
        try (RunningProcess p = RunningProcess.start("hbd", work, List.of(hbd.toString(), "serve", "-f", "-c",
                config.toString()), Map.of("HBD_JAVA_OPTS", "-Xlog:class+load=info:file=" + log))) {
            p.awaitLine(Hbd.READY.pattern(), Duration.ofSeconds(30));
            assertThat(p.stop()).isIn(0, 143);
            assertThat(p.output()).doesNotContainIgnoringCase("archive").doesNotContainIgnoringCase("cds");
        }
        return Files.readString(log);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
