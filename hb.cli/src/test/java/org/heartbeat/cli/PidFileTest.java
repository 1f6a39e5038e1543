package org.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pidfile through which every hbd subcommand finds the running daemon. */
class PidFileTest {
    @TempDir
    Path dir;

    @Test
    void claimWritesThisProcessId() throws IOException {
        PidFile pidfile = new PidFile(dir.resolve("hb.pid"));

        pidfile.claim();

        assertThat(Files.readString(pidfile.path())).isEqualTo(ProcessHandle.current().pid() + "\n");
    }

    @Test
    void claimCreatesMissingDirectoriesAndReplacesAStaleFile() throws IOException {
        Path file = dir.resolve("run").resolve("hbd").resolve("hb.pid");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "999999999\n");

        new PidFile(file).claim();

        assertThat(Files.readString(file).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        try (var files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void noFileMeansNoDaemon() {
        assertThat(new PidFile(dir.resolve("hb.pid")).running()).isEmpty();
    }

    @Test
    void garbageMeansNoDaemon() throws IOException {
        for (String content : new String[] {"", "\n", "not a pid", "12abc", "1.5", "99999999999999999999999"}) {
            Path file = dir.resolve("hb.pid");
            Files.writeString(file, content);

            assertThat(new PidFile(file).running()).as("pidfile with \"%s\"", content).isEmpty();
        }
    }

    @Test
    void aDeadProcessIsNoDaemon() throws Exception {
        Process java = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Path file = dir.resolve("hb.pid");
        Files.writeString(file, java.pid() + "\n");

        assertThat(new PidFile(file).running()).isEmpty();
    }

    @Test
    void aLiveProcessThatIsNotHbdIsNotTakenForIt() throws Exception {
        Process child = BlockingChild.startUnrelated();
        try {
            Path file = dir.resolve("hb.pid");
            Files.writeString(file, child.pid() + "\n");

            assertThat(new PidFile(file).running()).as("a reused pid").isEmpty();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aLiveHbdProcessIsFound() throws Exception {
        Process child = BlockingChild.start();
        try {
            Path file = dir.resolve("hb.pid");
            Files.writeString(file, "  " + child.pid() + "  \n");

            assertThat(new PidFile(file).running()).map(ProcessHandle::pid).contains(child.pid());
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aLiveProcessThatIsNotJavaIsNoDaemon() throws Exception {
        Process cat = new ProcessBuilder("cat").start();
        try {
            Path file = dir.resolve("hb.pid");
            Files.writeString(file, cat.pid() + "\n");

            assertThat(new PidFile(file).running()).isEmpty();
        } finally {
            cat.destroyForcibly();
        }
    }
}
