package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every program of the distribution answers both {@code -h} and {@code --help} with its usage and exit status 0:
 * hbd and each of its subcommands (as hbd --help lists them), hbc, hbc_mini.py and hbc_mini.c.
 */
class HelpTest {
    private static final List<String> HELP = List.of("-h", "--help");

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    @Test
    void hbdAndEverySubcommandItListsAnswerBothHelpOptions(@TempDir Path dir) throws Exception {
        String usage = answered(Clients.hbd(dir, "--help"), "Usage: hbd");
        List<String> subcommands = subcommands(usage);
        assertThat(subcommands).as("the subcommands hbd --help lists").contains("serve", "reload", "stop", "hostkey",
                "check");

        for (String help : HELP) {
            answered(Clients.hbd(dir, help), "Usage: hbd");
            for (String sub : subcommands) {
                answered(Clients.hbd(dir, sub, help), "Usage: hbd " + sub);
            }
        }
    }

    @Test
    void hbcAnswersBothHelpOptions(@TempDir Path dir) throws Exception {
        for (String help : HELP) {
            assertThat(answered(Clients.hbc(dir, help), "Usage: hbc")).contains("-h, --help");
        }
    }

    @Test
    void theMiniClientsAnswerBothHelpOptionsAnywhereOnTheLine(@TempDir Path dir) throws Exception {
        Path c = Clients.compileMiniC(dir);
        for (String help : HELP) {
            assertThat(answered(Clients.miniPython(dir, help), "usage: hbc_mini")).contains("-h, --help");
            assertThat(answered(Clients.miniC(dir, c, help), "usage: hbc_mini")).contains("-h, --help");
            answered(Clients.miniPython(dir, "-n", "web1", "server.example", help), "usage: hbc_mini");
            answered(Clients.miniC(dir, c, "-n", "web1", "server.example", help), "usage: hbc_mini");
        }
        RunningProcess unknownPy = Clients.miniPython(dir, "--verbose", "server.example");
        RunningProcess unknownC = Clients.miniC(dir, c, "--verbose", "server.example");
        assertThat(unknownPy.awaitExit(Duration.ofSeconds(10))).as("an unknown long option").isEqualTo(2);
        assertThat(unknownC.awaitExit(Duration.ofSeconds(10))).as("an unknown long option").isEqualTo(2);
        assertThat(unknownC.output()).contains("--verbose");
    }

    /** Waits for the program to exit 0 with output that starts with {@code usage}; returns the output. */
    private static String answered(RunningProcess p, String usage) throws InterruptedException {
        assertThat(p.awaitExit(Duration.ofSeconds(20))).as("exit status of %s", usage).isZero();
        assertThat(p.output()).as("output").startsWith(usage);
        return p.output();
    }

    /** The subcommand names of the "Commands:" section of a picocli usage message. */
    private static List<String> subcommands(String usage) {
        List<String> names = new ArrayList<>();
        String section = usage.substring(usage.indexOf("Commands:"));
        Matcher m = Pattern.compile("(?m)^  (\\w+)  ").matcher(section);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
