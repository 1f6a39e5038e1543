package org.heartbeat.plugin.nagios.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a check's command line into arguments the way a POSIX shell would, for the part of shell syntax that
 * means something without a shell, and refuses the rest: checks run without a shell, so a pipe, a redirection or
 * a variable would otherwise silently become an argument.
 *
 * <pre>{@code
 * CommandLine.split("check_disk -w 20% -c 10% -p '/srv/my data'")  // [check_disk, -w, 20%, -c, 10%, -p, /srv/my data]
 * CommandLine.split("check_http -u \"/a b\" -s 'it''s'")          // [check_http, -u, /a b, -s, its]
 * CommandLine.split("check_load | grep OK")                       // IllegalArgumentException
 * }</pre>
 *
 * <ul>
 * <li>Blanks and tabs separate arguments; a backslash and a newline join two lines.</li>
 * <li>{@code '...'} is taken literally; in {@code "..."} a backslash escapes {@code " \ $ `} and a newline
 * (and is kept before any other character); outside quotes a backslash escapes any character.</li>
 * <li>Refused outside quotes: {@code | & ; < > ( ) $ `}, a newline, a {@code #} starting an argument (a
 * comment), a {@code ~} or {@code ~/...} starting one (home directory); inside double quotes {@code $} and
 * {@code `}. A {@code ~} followed by anything else, as in the range {@code ~:5}, is kept, as the shell does.</li>
 * <li>Glob characters ({@code * ? [}) and braces are kept as they are, as a shell does when nothing matches.</li>
 * </ul>
 */
final class CommandLine {
    private static final String REFUSED = "|&;<>()$`";

    private CommandLine() {
    }

    /**
     * The arguments of {@code line}.
     *
     * @throws IllegalArgumentException naming the shell syntax that cannot be honoured, an unterminated quote, or
     *         an empty command
     */
    static List<String> split(String line) {
        List<String> args = new ArrayList<>();
        StringBuilder arg = new StringBuilder();
        boolean inArg = false;
        int n = line.length();
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                if (inArg) {
                    args.add(arg.toString());
                    arg.setLength(0);
                    inArg = false;
                }
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated single quote at position " + (i + 1)
                            + " of the command");
                }
                arg.append(line, i + 1, end);
                inArg = true;
                i = end;
            } else if (c == '"') {
                i = doubleQuoted(line, i, arg);
                inArg = true;
            } else if (c == '\\') {
                if (i + 1 == n) {
                    throw new IllegalArgumentException("the command ends with a lone backslash");
                }
                char next = line.charAt(++i);
                if (next != '\n') {
                    arg.append(next);
                    inArg = true;
                }
            } else if (c == '\n' || c == '\r') {
                throw new IllegalArgumentException("the command has more than one line; join lines with a"
                        + " backslash or write it on one line (there is no shell to run several commands)");
            } else if (REFUSED.indexOf(c) >= 0) {
                throw refused(c);
            } else if (!inArg && c == '#') {
                throw new IllegalArgumentException("'#' starts a shell comment, and there is no shell: quote it"
                        + " ('#') or remove the comment");
            } else if (!inArg && c == '~' && (i + 1 == n || " \t/".indexOf(line.charAt(i + 1)) >= 0)) {
                throw new IllegalArgumentException("'~' (home directory) is not expanded, as there is no shell:"
                        + " write the path out");
            } else {
                arg.append(c);
                inArg = true;
            }
        }
        if (inArg) {
            args.add(arg.toString());
        }
        if (args.isEmpty()) {
            throw new IllegalArgumentException("the command is empty");
        }
        if (args.get(0).isEmpty()) {
            throw new IllegalArgumentException("the command name is empty");
        }
        return List.copyOf(args);
    }

    /** Appends the double-quoted string starting at {@code open} and returns the index of its closing quote. */
    private static int doubleQuoted(String line, int open, StringBuilder arg) {
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '$' || c == '`') {
                throw new IllegalArgumentException("'" + c + "' inside double quotes would be expanded by a"
                        + " shell, and there is no shell: use single quotes or escape it as \\" + c);
            }
            if (c == '\\' && i + 1 < line.length() && "\"\\$`\n".indexOf(line.charAt(i + 1)) >= 0) {
                char next = line.charAt(++i);
                if (next != '\n') {
                    arg.append(next);
                }
            } else {
                arg.append(c);
            }
        }
        throw new IllegalArgumentException("unterminated double quote at position " + (open + 1) + " of the command");
    }

    private static IllegalArgumentException refused(char c) {
        String what = switch (c) {
            case '|' -> "a pipe ('|')";
            case '&' -> "'&' (a background job or &&)";
            case ';' -> "';' (a command list)";
            case '<', '>' -> "a redirection ('" + c + "')";
            case '(', ')' -> "a subshell ('" + c + "')";
            case '$' -> "'$' (a variable or command substitution)";
            default -> "a command substitution ('`')";
        };
        return new IllegalArgumentException("the command uses " + what + ", which needs a shell, and checks run"
                + " without one: quote the character if it is meant literally, or put the pipeline in a script and"
                + " run that");
    }
}
