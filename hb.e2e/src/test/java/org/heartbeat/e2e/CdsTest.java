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
 * {@code hbd cds} writes the class-data archive that {@code bin/hbd serve} maps, and one that does not fit (another
 * installation directory) is ignored without a word.
 */
class CdsTest {
    /** How the JVM names a class it took from the dynamic archive, in -Xlog:class+load. */
    private static final String FROM_ARCHIVE = "source: shared objects file (top)";
    private static final String CORE_CLASS = "org.heartbeat.server.internal.host.HostTable ";

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
        assertThat(cds.output()).startsWith("wrote " + archive.toAbsolutePath().normalize().toRealPath());
        assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(before);
        try (Stream<Path> lib = Files.list(archive.getParent())) {
            assertThat(lib.map(p -> p.getFileName().toString())).as("no partial archive left behind")
                    .noneMatch(name -> name.startsWith(".hbd.jsa"));
        }

        String classes = startAndListClasses(Dist.HBD, dir);
        assertThat(classes).contains(CORE_CLASS + FROM_ARCHIVE);
    }

    @Test
    void anArchiveThatDoesNotFitIsIgnoredWithoutAWord(@TempDir Path dir) throws Exception {
        // a copy of the installation elsewhere: its lib/hbd.jsa was written for the original directory
        Path copy = dir.resolve("moved");
        copyTree(Dist.HOME, copy);
        assertThat(copy.resolve("lib/hbd.jsa")).exists();
        String classes = startAndListClasses(copy.resolve("bin/hbd"), dir);
        assertThat(classes).contains(CORE_CLASS).doesNotContain(FROM_ARCHIVE);
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
