package org.heartbeat.plugin.nagios.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class NagiosConfigTest {
    /** What hbc writes for the plugin's YAML, plus what DS and ConfigAdmin add. */
    private static Map<String, Object> properties(Object... keysAndValues) {
        Map<String, Object> p = new HashMap<>();
        p.put("interval", 60.0);
        p.put("timeout", 30.0);
        p.put("service.pid", "org.heartbeat.plugin.nagios");
        p.put("component.name", "org.heartbeat.plugin.nagios.internal.NagiosPlugin");
        p.put("component.id", 7L);
        p.put("heartbeat.plugin.name", "nagios");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    private static CheckSpec only(NagiosConfig config) {
        assertThat(config.checks()).hasSize(1);
        return config.checks().get(0);
    }

    @Test
    void theExampleOfTheDocumentation() {
        NagiosConfig c = NagiosConfig.parse(properties(
                "checks.load", "check_load -w 5,4,3 -c 10,8,6",
                "checks.disk_root.command", "check_disk -w 20% -c 10% -p /",
                "checks.disk_root.interval", 300,
                "checks.disk_root.timeout", 10,
                "plugin_path", new String[] {"/opt/custom/libexec"}));
        assertThat(c.problems()).isEmpty();
        assertThat(c.intervalMillis()).isEqualTo(60_000);
        assertThat(c.timeoutMillis()).isEqualTo(30_000);
        assertThat(c.pluginPath()).containsExactly(Path.of("/opt/custom/libexec"));
        assertThat(c.checks()).containsExactly(
                new CheckSpec("disk_root", List.of("check_disk", "-w", "20%", "-c", "10%", "-p", "/"), 300_000, 10_000,
                        null),
                new CheckSpec("load", List.of("check_load", "-w", "5,4,3", "-c", "10,8,6"), 60_000, 10_000, null));
    }

    @Test
    void checksAreSortedByName() {
        NagiosConfig c = NagiosConfig.parse(properties("checks.b", "x", "checks.a.command", "y", "checks.c", "z"));
        assertThat(c.checks()).extracting(CheckSpec::name).containsExactly("a", "b", "c");
    }

    @Test
    void aCheckNameMayHoldDots() {
        NagiosConfig c = NagiosConfig.parse(properties("checks.disk.root", "check_disk -p /",
                "checks.disk.var.command", "check_disk -p /var", "checks.disk.var.interval", 120.0));
        assertThat(c.checks()).extracting(CheckSpec::name, CheckSpec::intervalMillis)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("disk.root", 60_000L),
                        org.assertj.core.groups.Tuple.tuple("disk.var", 120_000L));
    }

    @Test
    void aCommandMayBeAListOfArgumentsTakenAsTheyAre() {
        CheckSpec c = only(NagiosConfig.parse(properties("checks.x", new String[] {"check_x", "$HOME", "a b", "|"})));
        assertThat(c.command()).containsExactly("check_x", "$HOME", "a b", "|");
        assertThat(only(NagiosConfig.parse(properties("checks.x.command", new String[] {"/bin/check_x"}))).command())
                .containsExactly("/bin/check_x");
    }

    @Test
    void numbersMayArriveAsAnyNumberOrAsText() {
        CheckSpec c = only(NagiosConfig.parse(properties("checks.x.command", "c", "checks.x.interval", "90",
                "checks.x.timeout", 2.5f)));
        assertThat(c.intervalMillis()).isEqualTo(90_000);
        assertThat(c.timeoutMillis()).isEqualTo(2_500);
        assertThat(only(NagiosConfig.parse(properties("checks.x.command", "c", "checks.x.interval", 600L)))
                .intervalMillis()).isEqualTo(600_000);
    }

    @Test
    void theShortestIntervalIsThePlugins() {
        CheckSpec c = only(NagiosConfig.parse(properties("checks.x.command", "c", "checks.x.interval", 10)));
        assertThat(c.valid()).isTrue();
        assertThat(c.intervalMillis()).isEqualTo(60_000);
    }

    @Test
    void aCheckTimeoutStaysBelowThePluginTimeout() {
        assertThat(only(NagiosConfig.parse(properties("checks.x.command", "c", "checks.x.timeout", 100)))
                .timeoutMillis()).isEqualTo(29_000);
        assertThat(only(NagiosConfig.parse(properties("timeout", 5.0, "checks.x", "c"))).timeoutMillis())
                .isEqualTo(4_000);
        assertThat(only(NagiosConfig.parse(properties("timeout", 2.0, "checks.x", "c"))).timeoutMillis())
                .isEqualTo(1_500);
        assertThat(NagiosConfig.maxCheckTimeout(1)).isEqualTo(1);
    }

    @Test
    void defaultsWithoutIntervalAndTimeout() {
        Map<String, Object> p = new HashMap<>(Map.of("checks.x", "c"));
        NagiosConfig c = NagiosConfig.parse(p);
        assertThat(c.intervalMillis()).isEqualTo(60_000);
        assertThat(c.timeoutMillis()).isEqualTo(30_000);
        assertThat(only(c).timeoutMillis()).isEqualTo(10_000);
        p.put("interval", 20.0);
        assertThat(NagiosConfig.parse(p).timeoutMillis()).as("80 % of the interval, as hbc's").isEqualTo(16_000);
        p.put("interval", -1.0);
        p.put("timeout", "soon");
        assertThat(NagiosConfig.parse(p).intervalMillis()).isEqualTo(60_000);
        assertThat(NagiosConfig.parse(p).timeoutMillis()).isEqualTo(30_000);
    }

    @Test
    void invalidChecksAreKeptWithTheirProblemNextToTheValidOnes() {
        NagiosConfig c = NagiosConfig.parse(properties(
                "checks.good", "check_load -w 1,1,1 -c 2,2,2",
                "checks.piped", "check_load | grep OK",
                "checks.quote", "check_x 'open",
                "checks.nocmd.interval", 300,
                "checks.badint.command", "c",
                "checks.badint.interval", "often",
                "checks.neg.command", "c",
                "checks.neg.timeout", -1,
                "checks.typo.comand", "c",
                "checks.typo.timeout", 5,
                "checks.num", 42,
                "checks.empty", "  ",
                "checks.emptylist", new String[0],
                "checks.relative", "plugins/check_x",
                "checks.bad name", "c",
                "checks.b@d", "c"));
        assertThat(c.problems()).isEmpty();
        Map<String, String> problems = new HashMap<>();
        c.checks().forEach(s -> problems.put(s.name(), s.problem()));
        assertThat(problems.get("good")).isNull();
        assertThat(problems.get("piped")).contains("a pipe");
        assertThat(problems.get("quote")).contains("unterminated single quote");
        assertThat(problems.get("nocmd")).isEqualTo("no command");
        assertThat(problems.get("badint")).isEqualTo("interval must be a positive number of seconds, not \"often\"");
        assertThat(problems.get("neg")).isEqualTo("timeout must be a positive number of seconds, not \"-1\"");
        assertThat(problems.get("typo")).isEqualTo("unknown key comand; a check has command, interval and timeout");
        assertThat(problems.get("num")).contains("must be a string or a list of arguments, not \"42\"");
        assertThat(problems.get("empty")).isEqualTo("the command is empty");
        assertThat(problems.get("emptylist")).contains("not an empty list");
        assertThat(problems.get("relative")).contains("\"plugins/check_x\" is a relative path");
        assertThat(problems.get("bad name")).contains("bad check name \"bad name\"");
        assertThat(problems.get("b@d")).contains("bad check name");
        assertThat(c.checks()).filteredOn(CheckSpec::valid).extracting(CheckSpec::name).containsExactly("good");
        assertThat(c.checks()).filteredOn(s -> !s.valid()).allSatisfy(s -> assertThat(s.command()).isEmpty());
    }

    @Test
    void aTooLongNameIsInvalid() {
        String name = "n".repeat(65);
        assertThat(only(NagiosConfig.parse(properties("checks." + name, "c"))).problem()).contains("bad check name");
        assertThat(only(NagiosConfig.parse(properties("checks." + "n".repeat(64), "c"))).valid()).isTrue();
    }

    @Test
    void noChecksIsAProblemOfThePlugin() {
        assertThat(NagiosConfig.parse(properties()).problems())
                .containsExactly("no checks configured: list them under checks, for example checks: {load:"
                        + " \"check_load -w 5,4,3 -c 10,8,6\"}");
        assertThat(NagiosConfig.parse(properties("checks", "check_load")).problems()).singleElement()
                .asString().startsWith("checks must map check names to commands");
        assertThat(NagiosConfig.parse(properties("check.load", "check_load")).problems()).singleElement()
                .asString().startsWith("no checks configured");
    }

    @Test
    void pluginPathMayBeAListOrAColonSeparatedString() {
        assertThat(NagiosConfig.parse(properties("checks.x", "c", "plugin_path", "/a:/b/c: :")).pluginPath())
                .containsExactly(Path.of("/a"), Path.of("/b/c"));
        assertThat(NagiosConfig.parse(properties("checks.x", "c", "plugin_path", new String[] {"/a", " /b "}))
                .pluginPath()).containsExactly(Path.of("/a"), Path.of("/b"));
    }

    @Test
    void aRelativePluginPathIsAProblemOfThePlugin() {
        NagiosConfig c = NagiosConfig.parse(properties("checks.x", "c", "plugin_path", new String[] {"/a", "libexec",
                "~/bin"}));
        assertThat(c.problems()).containsExactly("plugin_path: \"libexec\" is not an absolute directory",
                "plugin_path: \"~/bin\" is not an absolute directory");
        assertThat(NagiosConfig.parse(properties("checks.x", "c", "plugin_path", 5)).problems()).singleElement()
                .asString().contains("plugin_path must be a directory or a list of directories");
    }

    @Test
    void validNames() {
        assertThat(NagiosConfig.validName("disk_root")).isTrue();
        assertThat(NagiosConfig.validName("a.b-C_9")).isTrue();
        assertThat(NagiosConfig.validName("")).isFalse();
        assertThat(NagiosConfig.validName("a/b")).isFalse();
        assertThat(NagiosConfig.validName("ä")).isFalse();
    }
}
