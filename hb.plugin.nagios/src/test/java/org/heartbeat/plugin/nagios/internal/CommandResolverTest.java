package org.heartbeat.plugin.nagios.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandResolverTest {
    @TempDir
    Path tmp;

    private Path dir(String name) throws IOException {
        return Files.createDirectories(tmp.resolve(name));
    }

    @Test
    void pluginPathComesFirstInItsOrder() throws IOException {
        Path a = dir("a");
        Path b = dir("b");
        Scripts.write(b, "check_x", "exit 0");
        Path inA = Scripts.write(a, "check_x", "exit 0");
        CommandResolver r = new CommandResolver(List.of(a, b), null);
        assertThat(r.resolve("check_x")).isEqualTo(new CommandResolver.Resolution(inA, null));
    }

    @Test
    void thenTheStandardDirectoriesThenPath() throws IOException {
        Path onPath = dir("bin");
        Path sh = Scripts.write(onPath, "check_only_on_path", "exit 0");
        CommandResolver r = new CommandResolver(List.of(dir("empty")), "relative/dir::" + onPath + ":/nonexistent");
        assertThat(r.searchPath()).startsWith(tmp.resolve("empty"))
                .containsSubsequence(CommandResolver.STANDARD_DIRECTORIES)
                .endsWith(onPath, Path.of("/nonexistent"))
                .doesNotContain(Path.of("relative/dir"));
        assertThat(r.searchPath().indexOf(onPath)).isGreaterThan(
                r.searchPath().indexOf(CommandResolver.STANDARD_DIRECTORIES.get(CommandResolver.STANDARD_DIRECTORIES
                        .size() - 1)));
        assertThat(r.resolve("check_only_on_path").path()).isEqualTo(sh);
    }

    @Test
    void theStandardDirectoriesComeBeforePath() {
        Path found = CommandResolver.STANDARD_DIRECTORIES.stream().map(d -> d.resolve("check_dummy"))
                .filter(Files::isExecutable).findFirst().orElse(null);
        if (found != null) {
            // sh is on PATH, but a check_dummy in /bin would lose against the plugin directories
            assertThat(new CommandResolver(List.of(), "/bin:/usr/bin").resolve("check_dummy").path()).isEqualTo(found);
        }
        assertThat(new CommandResolver(List.of(), "/bin:/usr/bin").resolve("sh").path()).isIn(Path.of("/bin/sh"),
                Path.of("/usr/bin/sh"));
    }

    @Test
    void skipsFilesThatAreNotExecutableAndDirectories() throws IOException {
        Path a = dir("a");
        Path b = dir("b");
        Files.writeString(a.resolve("check_x"), "#!/bin/sh\n");
        Files.createDirectories(a.resolve("check_y"));
        Path inB = Scripts.write(b, "check_x", "exit 0");
        CommandResolver r = new CommandResolver(List.of(a, b), null);
        assertThat(r.resolve("check_x").path()).isEqualTo(inB);
        assertThat(r.resolve("check_y").path()).isNull();
    }

    @Test
    void saysWhereItLookedWhenNotFound() throws IOException {
        Path a = dir("a");
        Files.writeString(a.resolve("check_x"), "#!/bin/sh\n");
        CommandResolver.Resolution r = new CommandResolver(List.of(a), "/bin").resolve("check_x");
        assertThat(r.path()).isNull();
        assertThat(r.problem()).startsWith("check command check_x not found in plugin_path (" + a + "), "
                        + "/usr/lib/nagios/plugins, /usr/lib64/nagios/plugins")
                .contains(" or PATH (" + a.resolve("check_x") + " is not executable)")
                .endsWith("install the monitoring plugins, or add the check's directory to plugin_path");
        assertThat(new CommandResolver(List.of(), null).resolve("check_nope").problem())
                .startsWith("check command check_nope not found in /usr/lib/nagios/plugins,");
    }

    @Test
    void takesAnAbsolutePathAsItIs() throws IOException {
        Path x = Scripts.write(dir("a"), "check_x", "exit 0");
        CommandResolver r = new CommandResolver(List.of(), null);
        assertThat(r.resolve(x.toString()).path()).isEqualTo(x);
        assertThat(r.resolve(tmp.resolve("missing").toString()).problem())
                .isEqualTo("check command " + tmp.resolve("missing") + " not found");
        Path plain = Files.writeString(tmp.resolve("plain"), "");
        assertThat(r.resolve(plain.toString()).problem()).isEqualTo("check command " + plain + " is not executable");
        assertThat(r.resolve(tmp.toString()).problem()).isEqualTo("check command " + tmp + " not found");
    }
}
