package org.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.heartbeat.config.ConfigException;
import org.heartbeat.config.ServerConfig;
import org.heartbeat.protocol.HostKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code hbd}: options, subcommands and their answers, run through picocli without starting a runtime. */
class HbdTest {
    private static final Pattern KEY_LINE = Pattern.compile("(?m)^    key: (\\S+)$");

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void stopChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    // ---------------------------------------------------------------- hbd itself

    @Test
    void versionPrintsNameAndBuildVersion() {
        Cli run = Cli.hbd("--version");

        assertThat(run.exit()).isZero();
        assertThat(run.out().strip()).isEqualTo("hbd (Heartbeat) " + Version.VERSION);
        assertThat(Version.VERSION).as("filled in from the build").matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void everySubcommandPrintsItsVersion() {
        List<String> names = new ArrayList<>();
        collect(Hbd.commandLine(), names);
        assertThat(names).as("the tree, nested subcommands included").contains("hbd check", "hbd token create")
                .hasSizeGreaterThan(15);
        for (String name : names) {
            String[] args = (name.substring("hbd".length()).strip() + " -V").strip().split(" ");
            Cli run = Cli.hbd(args);
            assertThat(run.exit()).as(name).isZero();
            assertThat(run.out().strip()).as(name).isEqualTo(name + " (Heartbeat) " + Version.VERSION);
        }
    }

    private static void collect(CommandLine cl, List<String> names) {
        names.add(cl.getCommandSpec().qualifiedName());
        cl.getSubcommands().values().forEach(sub -> collect(sub, names));
    }

    @Test
    void aSubcommandAloneAnswersAsTheWholeTreeDoes() {
        assertThat(Hbd.commandLine("check", "web1").getSubcommands()).as("only check is built for it")
                .containsOnlyKeys("check");
        assertThat(Hbd.commandLine("--help").getSubcommands()).as("the whole tree").containsKeys("serve", "check");
        Map<String, CommandLine> subcommands = Hbd.commandLine().getSubcommands();
        assertThat(subcommands).hasSizeGreaterThan(10);
        List<String[]> cases = new ArrayList<>();
        for (String name : subcommands.keySet()) {
            cases.add(new String[] {name, "--help"});
            cases.add(new String[] {name, "-V"});
            cases.add(new String[] {name, "--frobnicate"});
        }
        cases.add(new String[] {"check"});
        cases.add(new String[] {"check", "--url", "http://127.0.0.1:9/", "-t", "0.5", "web1"});
        cases.add(new String[] {"token", "create", "--help"});
        for (String[] args : cases) {
            assertThat(Hbd.commandLine(args).getSubcommands()).as(String.join(" ", args)).hasSize(1);
            Cli alone = Cli.run(Hbd.commandLine(args), args);
            Cli whole = Cli.run(Hbd.commandLine(), args);
            assertThat(alone).as(String.join(" ", args)).isEqualTo(whole);
        }
    }

    @Test
    void helpListsTheSubcommandsAndExitStatuses() {
        Cli run = Cli.hbd("--help");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("serve", "reload", "stop", "hostkey", "Exit status");
    }

    @Test
    void withoutSubcommandItShowsUsageAndFails() {
        Cli run = Cli.hbd();

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("Usage: hbd", "a subcommand is needed", "Try 'hbd --help'");
    }

    @Test
    void anUnknownSubcommandIsAUsageError() {
        Cli run = Cli.hbd("frobnicate");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("frobnicate", "Try 'hbd --help'");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        Cli run = Cli.hbd("--frobnicate");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--frobnicate", "Try 'hbd --help'");
    }

    @Test
    void anUnknownOptionOfASubcommandPointsToThatSubcommandsHelp() {
        Cli run = Cli.hbd("serve", "--frobnicate");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("Try 'hbd serve --help'");
    }

    // ---------------------------------------------------------------- serve --check

    @Test
    void serveCheckAcceptsAGoodFile() throws IOException {
        Path config = config("""
                interval: 30
                grace: 5
                hosts:
                  web1:
                    interval: 60
                  db-2:
                    tags: [db]
                """);

        Cli run = Cli.hbd("serve", "--check", "-c", config.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains(config.toString(), "OK", "2 hosts");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void serveCheckNamesKeyAndLineOfAMistake() throws IOException {
        Path config = config("""
                # a comment
                interval: 30
                grace: two
                """);

        Cli run = Cli.hbd("serve", "--check", "-c", config.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("grace: expected a number of seconds, got \"two\" (line 3)")
                .contains(config.toString());
        assertThat(run.out()).doesNotContain("OK");
    }

    @Test
    void serveCheckReportsEveryMistakeAtOnce() throws IOException {
        Path config = config("""
                interval: often
                hosts:
                  web1:
                    grace: -3
                """);

        Cli run = Cli.hbd("serve", "--check", "-c", config.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("interval", "(line 1)", "hosts.web1.grace", "(line 4)");
    }

    @Test
    void serveCheckOfAMissingFileFails() {
        Cli run = Cli.hbd("serve", "--check", "-c", dir.resolve("missing.yaml").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("no such file");
    }

    @Test
    void serveCheckWarnsAboutKeysOthersCanRead() throws IOException {
        Path config = config("hosts:\n  web1:\n    key: " + HostKey.generate().toBase64() + "\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));

        Cli run = Cli.hbd("serve", "--check", "-c", config.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.err()).contains("warning", "chmod 600");
    }

    @Test
    void serveRefusesToStartASecondDaemon() throws IOException {
        child = BlockingChild.start();
        Path pidfile = pidfile(child.pid());

        Cli run = Cli.hbd("serve", "-c", configWithPidfile(pidfile).toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("already running as pid " + child.pid(), "hbd stop");
        assertThat(child.isAlive()).isTrue();
    }

    // ---------------------------------------------------------------- reload

    @Test
    void reloadWithoutDaemonFails() throws IOException {
        Path pidfile = dir.resolve("hb.pid");

        Cli run = Cli.hbd("reload", "-c", configWithPidfile(pidfile).toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("no running daemon found", pidfile.toString());
    }

    @Test
    void reloadWithAStalePidfileFails() throws IOException {
        Path pidfile = dir.resolve("hb.pid");
        Files.writeString(pidfile, "not a pid\n");

        Cli run = Cli.hbd("reload", "-c", configWithPidfile(pidfile).toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("no running daemon found");
    }

    @Test
    void reloadWithABrokenConfigurationSendsNothing() throws IOException {
        Path config = config("pidfile: " + dir.resolve("hb.pid") + "\ngrace: two\n");

        Cli run = Cli.hbd("reload", "-c", config.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("grace: expected a number of seconds",
                "the running daemon keeps its configuration");
    }

    // ---------------------------------------------------------------- stop

    @Test
    void stopWithoutDaemonSaysItIsNotRunning() throws IOException {
        Path pidfile = dir.resolve("hb.pid");

        Cli run = Cli.hbd("stop", "-c", configWithPidfile(pidfile).toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("hbd is not running", pidfile.toString());
    }

    @Test
    void stopWithABrokenConfigurationFails() throws IOException {
        Cli run = Cli.hbd("stop", "-c", config("hb_port: many\n").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("hb_port");
    }

    @Test
    void stopEndsTheProcessInThePidfile() throws Exception {
        child = BlockingChild.start();
        Path pidfile = pidfile(child.pid());

        Cli run = Cli.hbd("stop", "-c", configWithPidfile(pidfile).toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("hbd (pid " + child.pid() + ") stopped");
        assertThat(child.waitFor(5, TimeUnit.SECONDS)).as("the process has exited").isTrue();
    }

    // ---------------------------------------------------------------- hostkey

    @Test
    void hostkeyPrintsAConfigurationSnippetWithANewKey() throws Exception {
        Cli run = Cli.hbd("hostkey", "web1");

        assertThat(run.exit()).isZero();
        String key = keyIn(run.out());
        assertThat(key).hasSize(44);
        HostKey parsed = HostKey.parse(key);
        assertThat(parsed.toBase64()).isEqualTo(key);
        assertThat(run.out()).contains("hosts:\n  web1:\n    key: " + key, "hbc -k /etc/heartbeat/web1.key -n web1");
        ServerConfig config = parseSnippet(run.out());
        assertThat(config.hosts().get("web1").key()).isEqualTo(parsed);
    }

    /**
     * The snippet is meant to be pasted into the server's configuration, so it must name the host exactly,
     * whatever characters a valid host name has: a name that YAML must quote is quoted with its backslashes
     * and double quotes escaped, so {@code a\b} is not read as "a" and a backspace.
     */
    @TestFactory
    Stream<DynamicTest> theSnippetNamesTheHostExactly() {
        return Stream.of("web1", "db-2.example.com", "höst-ünïcode", "we\"b", "a:b", "#x", "-", "null", "123", "a'b",
                "[a]", "a\\b").map(name -> dynamicTest(name, () -> {
                    Cli run = Cli.hbd("hostkey", name);
                    assertThat(run.exit()).isZero();
                    ServerConfig config = parseSnippet(run.out());
                    assertThat(config.hosts()).containsOnlyKeys(name);
                    assertThat(config.hosts().get(name).key()).isEqualTo(HostKey.parse(keyIn(run.out())));
                }));
    }

    @Test
    void everyHostkeyIsNew() {
        assertThat(keyIn(Cli.hbd("hostkey", "web1").out())).isNotEqualTo(keyIn(Cli.hbd("hostkey", "web1").out()));
    }

    @Test
    void hostkeyRefusesABadHostName() {
        Cli run = Cli.hbd("hostkey", "bad name");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("space");
        assertThat(run.out()).doesNotContain("key:");
    }

    @Test
    void hostkeyNeedsAName() {
        Cli run = Cli.hbd("hostkey");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("NAME", "Try 'hbd hostkey --help'");
    }

    @Test
    void hostkeyWritesAKeyFileOnlyItsOwnerCanRead() throws Exception {
        Path file = dir.resolve("keys").resolve("web1.key");

        Cli run = Cli.hbd("hostkey", "web1", "-o", file.toString());

        assertThat(run.exit()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(HostKey.read(file)).isEqualTo(HostKey.parse(keyIn(run.out())));
        assertThat(run.out()).contains(file.toAbsolutePath().toString()).doesNotContain("echo '");
    }

    @Test
    void hostkeyNeverOverwritesAKeyFile() throws Exception {
        Path file = dir.resolve("web1.key");
        Cli.hbd("hostkey", "web1", "-o", file.toString());
        String before = Files.readString(file);

        Cli run = Cli.hbd("hostkey", "web1", "-o", file.toString());

        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("exists; a key file is never overwritten");
        assertThat(run.err().lines()).as("one line, no stack trace").hasSize(1);
        assertThat(run.out()).doesNotContain("key:");
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    // ---------------------------------------------------------------- helpers

    private Path config(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "hb", ".yaml");
        Files.writeString(file, yaml);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private Path configWithPidfile(Path pidfile) throws IOException {
        return config("pidfile: " + pidfile + "\nlogfile: " + dir.resolve("hb.log") + "\n");
    }

    private Path pidfile(long pid) throws IOException {
        Path pidfile = dir.resolve("hb.pid");
        Files.writeString(pidfile, pid + "\n");
        return pidfile;
    }

    static String keyIn(String output) {
        Matcher m = KEY_LINE.matcher(output);
        assertThat(m.find()).as("a key line in:%n%s", output).isTrue();
        return m.group(1);
    }

    /** The configuration hostkey's YAML snippet makes; fails the test when the server would refuse it. */
    static ServerConfig parseSnippet(String output) {
        String yaml = snippet(output);
        try {
            return ServerConfig.parse(yaml);
        } catch (ConfigException e) {
            return fail("the server refuses the snippet%n%s%nbecause: %s", yaml, e.problems());
        }
    }

    /** The YAML part of hostkey's output: the lines from "hosts:" up to the first empty line. */
    static String snippet(String output) {
        int start = output.indexOf("hosts:");
        int end = output.indexOf("\n\n", start);
        return output.substring(start, end + 1);
    }
}
