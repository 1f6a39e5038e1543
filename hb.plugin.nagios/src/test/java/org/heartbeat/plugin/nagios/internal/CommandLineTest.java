package org.heartbeat.plugin.nagios.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {
    @Test
    void splitsOnBlanksAndTabs() {
        assertThat(CommandLine.split("check_load -w 5,4,3\t-c  10,8,6 "))
                .containsExactly("check_load", "-w", "5,4,3", "-c", "10,8,6");
    }

    @Test
    void singleQuotesAreLiteral() {
        assertThat(CommandLine.split("check_disk -p '/srv/my data' -x '$HOME \\ \"x\" | ; `'"))
                .containsExactly("check_disk", "-p", "/srv/my data", "-x", "$HOME \\ \"x\" | ; `");
    }

    @Test
    void adjacentQuotedPartsMakeOneArgument() {
        assertThat(CommandLine.split("c -s 'it''s' a\"b c\"'d'e")).containsExactly("c", "-s", "its", "ab cde");
        assertThat(CommandLine.split("c 'it'\\''s'")).containsExactly("c", "it's");
    }

    @Test
    void emptyQuotesAreAnEmptyArgument() {
        assertThat(CommandLine.split("c '' \"\" x")).containsExactly("c", "", "", "x");
    }

    @Test
    void doubleQuotesKeepBackslashesExceptBeforeSpecialCharacters() {
        assertThat(CommandLine.split("c \"a\\\"b\" \"c\\\\d\" \"e\\$f\" \"g\\`h\" \"i\\nj\" \"k'l\""))
                .containsExactly("c", "a\"b", "c\\d", "e$f", "g`h", "i\\nj", "k'l");
    }

    @Test
    void backslashOutsideQuotesEscapesAnyCharacter() {
        assertThat(CommandLine.split("c a\\ b \\| \\$x \\; \\' \\\" \\\\ \\#no"))
                .containsExactly("c", "a b", "|", "$x", ";", "'", "\"", "\\", "#no");
    }

    @Test
    void backslashNewlineJoinsLines() {
        assertThat(CommandLine.split("check_disk -w 20% \\\n  -c 10%")).containsExactly("check_disk", "-w", "20%",
                "-c", "10%");
        assertThat(CommandLine.split("c \"a\\\nb\"")).containsExactly("c", "ab");
    }

    @Test
    void globsBracesRangesAndEqualsStayAsWritten() {
        assertThat(CommandLine.split("check_procs -a *java* -u {a,b} -w ~:5 -c @10:20 --x=y? [z] a#b !"))
                .containsExactly("check_procs", "-a", "*java*", "-u", "{a,b}", "-w", "~:5", "-c", "@10:20", "--x=y?",
                        "[z]", "a#b", "!");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '!', value = {
            "check_load | grep OK ! a pipe",
            "check_load > /tmp/out ! a redirection ('>')",
            "check_load < /dev/null ! a redirection ('<')",
            "check_load 2>&1 ! a redirection ('>')",
            "check_load -w $WARN ! '$' (a variable",
            "check_load -w $(cat w) ! '$' (a variable",
            "check_load -w `cat w` ! a command substitution",
            "check_load; rm -rf / ! ';' (a command list)",
            "check_load && check_disk ! '&' (a background job or &&)",
            "check_load & ! '&'",
            "(check_load) ! a subshell",
    })
    void refusesShellSyntax(String line, String message) {
        assertThatThrownBy(() -> CommandLine.split(line)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message).hasMessageContaining("needs a shell");
    }

    @Test
    void refusesExpansionInsideDoubleQuotes() {
        assertThatThrownBy(() -> CommandLine.split("c \"$HOME\"")).hasMessageContaining("'$' inside double quotes");
        assertThatThrownBy(() -> CommandLine.split("c \"`id`\"")).hasMessageContaining("'`' inside double quotes");
    }

    @Test
    void refusesCommentsHomeDirectoriesAndSeveralLines() {
        assertThatThrownBy(() -> CommandLine.split("check_load -w 1 # warn")).hasMessageContaining("comment");
        assertThatThrownBy(() -> CommandLine.split("~/bin/check_x")).hasMessageContaining("home directory");
        assertThatThrownBy(() -> CommandLine.split("check_x -f ~")).hasMessageContaining("home directory");
        assertThatThrownBy(() -> CommandLine.split("check_load\ncheck_disk")).hasMessageContaining("more than one line");
    }

    @ParameterizedTest
    @ValueSource(strings = {"c 'open", "c \"open", "c \"a\\\"", "c a\\"})
    void refusesUnterminatedQuotesAndEscapes(String line) {
        assertThatThrownBy(() -> CommandLine.split(line)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("unterminated .* quote at position \\d+ of the command"
                        + "|the command ends with a lone backslash");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t", "\\\n"})
    void refusesEmptyCommands(String line) {
        assertThatThrownBy(() -> CommandLine.split(line)).hasMessage("the command is empty");
    }

    @Test
    void refusesAnEmptyCommandName() {
        assertThatThrownBy(() -> CommandLine.split("'' -w 1")).hasMessage("the command name is empty");
    }
}
