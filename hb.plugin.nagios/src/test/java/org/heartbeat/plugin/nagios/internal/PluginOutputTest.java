package org.heartbeat.plugin.nagios.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class PluginOutputTest {
    @Test
    void aFirstLineWithoutPerfdata() {
        PluginOutput o = PluginOutput.parse("DISK OK - free space: / 3326 MB (56%);\n");
        assertThat(o).isEqualTo(new PluginOutput("DISK OK - free space: / 3326 MB (56%);", "", List.of()));
    }

    @Test
    void aFirstLineWithPerfdata() {
        PluginOutput o = PluginOutput.parse("DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968\n");
        assertThat(o.text()).isEqualTo("DISK OK - free space: / 3326 MB (56%);");
        assertThat(o.longText()).isEmpty();
        assertThat(o.perfdata()).containsExactly(new PerfData("/", 2643.0, "MB", "5948", "5958", 0.0, 5968.0));
    }

    /** The example of the plugin guidelines, "Plugin Output for Nagios". */
    @Test
    void theGuidelinesMultiLineExample() {
        PluginOutput o = PluginOutput.parse("""
                DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968
                / 15272 MB (77%);
                /boot 68 MB (69%);
                /home 69357 MB (27%);
                /var/log 819 MB (84%); | /boot=68MB;88;93;0;98
                /home=69357MB;253404;253409;0;253414\s
                /var/log=818MB;970;975;0;980
                """);
        assertThat(o.text()).isEqualTo("DISK OK - free space: / 3326 MB (56%);");
        assertThat(o.longText()).isEqualTo("""
                / 15272 MB (77%);
                /boot 68 MB (69%);
                /home 69357 MB (27%);
                /var/log 819 MB (84%);""");
        assertThat(o.perfdata()).containsExactly(
                new PerfData("/", 2643.0, "MB", "5948", "5958", 0.0, 5968.0),
                new PerfData("/boot", 68.0, "MB", "88", "93", 0.0, 98.0),
                new PerfData("/home", 69357.0, "MB", "253404", "253409", 0.0, 253414.0),
                new PerfData("/var/log", 818.0, "MB", "970", "975", 0.0, 980.0));
    }

    @Test
    void longOutputWithoutPerfdata() {
        PluginOutput o = PluginOutput.parse("""
                check_load: Could not parse arguments
                Usage:
                check_load [-r] -w WLOAD1,WLOAD5,WLOAD15 -c CLOAD1,CLOAD5,CLOAD15 [-n NUMBER_OF_PROCS]
                """);
        assertThat(o.text()).isEqualTo("check_load: Could not parse arguments");
        assertThat(o.longText()).isEqualTo(
                "Usage:\ncheck_load [-r] -w WLOAD1,WLOAD5,WLOAD15 -c CLOAD1,CLOAD5,CLOAD15 [-n NUMBER_OF_PROCS]");
        assertThat(o.perfdata()).isEmpty();
    }

    @Test
    void perfdataOnlyInTheLongOutput() {
        PluginOutput o = PluginOutput.parse("OK\nline 2\nline 3 | a=1\nb=2 'c d'=3;1;2\n");
        assertThat(o.text()).isEqualTo("OK");
        assertThat(o.longText()).isEqualTo("line 2\nline 3");
        assertThat(o.perfdata()).extracting(PerfData::label).containsExactly("a", "b", "c d");
    }

    @Test
    void aBarRightAfterTheFirstLineStartsPerfdataAtOnce() {
        PluginOutput o = PluginOutput.parse("OK | a=1\n| b=2\nc=3");
        assertThat(o.longText()).isEmpty();
        assertThat(o.perfdata()).extracting(PerfData::label).containsExactly("a", "b", "c");
    }

    @Test
    void onlyTheFirstBarOfALineSeparates() {
        PluginOutput o = PluginOutput.parse("OK | a=1 | b=2");
        assertThat(o.text()).isEqualTo("OK");
        assertThat(o.perfdata()).extracting(PerfData::label).containsExactly("a", "b");
    }

    @Test
    void textAndLongTextAreStrippedButInnerBlankLinesKept() {
        PluginOutput o = PluginOutput.parse("  OK  \r\n\r\n\r\n  first\r\n\r\n  second  \r\n\r\n");
        assertThat(o.text()).isEqualTo("OK");
        assertThat(o.longText()).isEqualTo("  first\n\n  second");
    }

    @Test
    void emptyOutput() {
        assertThat(PluginOutput.parse("")).isEqualTo(new PluginOutput("", "", List.of()));
        assertThat(PluginOutput.parse("|")).isEqualTo(new PluginOutput("", "", List.of()));
        assertThat(PluginOutput.parse("\n\n")).isEqualTo(new PluginOutput("", "", List.of()));
    }

    @Test
    void malformedPerfdataLosesNeitherTextNorTheGoodItems() {
        PluginOutput o = PluginOutput.parse("WARNING - disk is 85% full | 'bad =1 used=85%;80;90 nonsense\nmore");
        assertThat(o.text()).isEqualTo("WARNING - disk is 85% full");
        assertThat(o.perfdata()).containsExactly(new PerfData("used", 85.0, "%", "80", "90", null, null));
    }
}
