package org.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.heartbeat.protocol.HostKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hbc}: the mistakes it answers before any runtime starts. Every case here must return before
 * EmbeddedRuntime.run, so each has a mistake; every run names its own configuration file so that no
 * ~/.hbc.yaml of the machine takes part.
 */
class HbcTest {
    @TempDir
    Path dir;

    @Test
    void versionPrintsNameAndBuildVersion() {
        Cli run = Cli.hbc("--version");

        assertThat(run.exit()).isZero();
        assertThat(run.out().strip()).isEqualTo("hbc (Heartbeat) " + Version.VERSION);
    }

    @Test
    void helpDescribesServersAndExitStatuses() {
        Cli run = Cli.hbc("--help");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("SERVER", "--key", "--interval", "Exit status");
    }

    @Test
    void withoutServerItSaysSo() throws IOException {
        Cli run = Cli.hbc("-c", config("").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("no server given", "Try 'hbc --help'");
    }

    @Test
    void portZeroIsRefused() throws IOException {
        Cli run = Cli.hbc("-c", config("").toString(), "-p", "0", "hb.example.com");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--port", "got 0");
    }

    @Test
    void portAbove65535IsRefused() throws IOException {
        Cli run = Cli.hbc("-c", config("").toString(), "-p", "70000", "hb.example.com");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--port", "70000");
    }

    @Test
    void aPortThatIsNotANumberIsRefused() throws IOException {
        Cli run = Cli.hbc("-c", config("").toString(), "-p", "http", "hb.example.com");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("http");
    }

    @Test
    void anIntervalBelowOneSecondIsRefused() throws IOException {
        Cli run = Cli.hbc("-c", config("").toString(), "-i", "0.5", "hb.example.com");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--interval", "0.5");
    }

    @Test
    void anIntervalAboveADayOrNotANumberIsRefused() throws IOException {
        String file = config("").toString();

        assertThat(Cli.hbc("-c", file, "-i", "86401", "hb.example.com").exit()).isEqualTo(2);
        assertThat(Cli.hbc("-c", file, "-i", "NaN", "hb.example.com").exit()).isEqualTo(2);
        assertThat(Cli.hbc("-c", file, "-i", "Infinity", "hb.example.com").exit()).isEqualTo(2);
    }

    @Test
    void aBadHostNameIsRefused() throws IOException {
        Cli run = Cli.hbc("-c", config("").toString(), "-n", "my host", "hb.example.com");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--name", "space");
    }

    @Test
    void aMissingKeyFileIsRefused() throws IOException {
        Path key = dir.resolve("missing.key");

        Cli run = Cli.hbc("-c", config("").toString(), "-k", key.toString(), "hb.example.com");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("cannot use key file", key.toString());
    }

    @Test
    void aKeyFileWithoutAValidKeyIsRefusedWithoutEchoingIt() throws IOException {
        String almost = HostKey.generate().toBase64().substring(0, 30);
        Path key = dir.resolve("web1.key");
        Files.writeString(key, "# key\n" + almost + "\n");

        Cli run = Cli.hbc("-c", config("").toString(), "-k", key.toString(), "hb.example.com");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("cannot use key file").doesNotContain(almost);
    }

    @Test
    void theKeyFileOfTheConfigurationIsCheckedToo() throws IOException {
        Path key = dir.resolve("missing.key");

        Cli run = Cli.hbc("-c", config("servers: [hb.example.com]\nkey_file: " + key + "\n").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("cannot use key file", key.toString());
    }

    @Test
    void aConfigurationWithMistakesIsRefusedNamingKeyAndLine() throws IOException {
        Path config = config("""
                servers: [hb.example.com]
                interval: fast
                plugins:
                  disk_monitor:
                    timeout: 0
                """);

        Cli run = Cli.hbc("-c", config.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains(config.toString(),
                "interval: expected a number of seconds, got \"fast\" (line 2)",
                "plugins.disk_monitor.timeout", "(line 5)");
    }

    @Test
    void aMissingConfigurationFileIsRefused() {
        Path config = dir.resolve("missing.yaml");

        Cli run = Cli.hbc("-c", config.toString(), "hb.example.com");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains(config.toString(), "no such file");
    }

    @Test
    void warningsOfTheConfigurationArePrinted() throws IOException {
        Cli run = Cli.hbc("-c", config("intervall: 10\n").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("warning", "intervall", "unknown key", "no server given");
    }

    @Test
    void anUnknownOptionIsAUsageError() throws IOException {
        Cli run = Cli.hbc("-c", config("").toString(), "--frobnicate", "hb.example.com");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--frobnicate");
    }

    private Path config(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "hbc", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
