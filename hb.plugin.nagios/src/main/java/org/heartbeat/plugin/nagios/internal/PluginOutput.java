package org.heartbeat.plugin.nagios.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * What a check printed, split as the plugin guidelines say
 * (<a href="https://nagios-plugins.org/doc/guidelines.html#AEN200">Plugin Output for Nagios</a>):
 *
 * <pre>
 * TEXT OUTPUT | OPTIONAL PERFDATA
 * LONG TEXT LINE 1
 * LONG TEXT LINE 2 | PERFDATA LINE 2
 * PERFDATA LINE 3
 * </pre>
 *
 * The first line up to its first {@code |} is the {@link #text()}; the lines after it, up to the first {@code |}
 * among them, are the {@link #longText()}; what follows each of these two {@code |} is performance data, the
 * following lines included.
 *
 * @param text the first line without its performance data, stripped
 * @param longText the further lines without performance data, empty when there are none
 * @param perfdata the performance data items of all lines, in order
 */
record PluginOutput(String text, String longText, List<PerfData> perfdata) {
    PluginOutput {
        perfdata = List.copyOf(perfdata);
    }

    /** An output of one line of text. */
    static PluginOutput of(String text) {
        return new PluginOutput(text, "", List.of());
    }

    /** Splits the standard output of a check. */
    static PluginOutput parse(String stdout) {
        String[] lines = stdout.split("\r?\n|\r", -1);
        StringBuilder perf = new StringBuilder();
        String first = lines[0];
        int bar = first.indexOf('|');
        String text = bar < 0 ? first : first.substring(0, bar);
        if (bar >= 0) {
            perf.append(first, bar + 1, first.length());
        }
        List<String> longLines = new ArrayList<>();
        boolean inPerfdata = false;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (inPerfdata) {
                perf.append(' ').append(line);
                continue;
            }
            int b = line.indexOf('|');
            if (b < 0) {
                longLines.add(line);
            } else {
                longLines.add(line.substring(0, b));
                perf.append(' ').append(line, b + 1, line.length());
                inPerfdata = true;
            }
        }
        return new PluginOutput(text.strip(), stripBlankLines(String.join("\n", longLines)),
                PerfData.parseAll(perf.toString()));
    }

    /** {@code s} without its leading blank lines and trailing white space. */
    private static String stripBlankLines(String s) {
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                start = i + 1;
            } else if (!Character.isWhitespace(c)) {
                break;
            }
        }
        return s.substring(Math.min(start, s.length())).stripTrailing();
    }
}
