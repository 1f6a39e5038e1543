package org.heartbeat.plugin.nagios.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One performance data item of a check's output, as the plugin guidelines describe it:
 * {@code 'label'=value[UOM];[warn];[crit];[min];[max]}.
 *
 * <pre>{@code
 * PerfData.parseAll("'/ free'=3326MB;5948;5958;0;5968 load1=U;~:5;@10:20")
 * // [PerfData['/ free', 3326.0, MB, 5948, 5958, 0.0, 5968.0], PerfData[load1, null, "", ~:5, @10:20, null, null]]
 * }</pre>
 *
 * Parsing is lenient where nothing is lost by it and never throws: an item that is not {@code label=value} or whose
 * value is not a number (or {@code U}, undetermined) is skipped; a unit of measurement other than the guidelines'
 * ({@code s ms us % B KB MB GB TB c}) is kept as written; a threshold that is not a range, or a minimum or maximum
 * that is not a number, is left out of its item. A label may be quoted with single quotes, which lets it hold
 * blanks and {@code =}; {@code ''} inside the quotes is one quote.
 *
 * @param label the label, unquoted, never empty
 * @param value the value, or null when it was {@code U}
 * @param uom the unit of measurement, empty when there is none
 * @param warn the warning range as written, empty when there is none
 * @param crit the critical range as written, empty when there is none
 * @param min the minimum, or null
 * @param max the maximum, or null
 */
record PerfData(String label, Double value, String uom, String warn, String crit, Double min, Double max) {
    private static final String NUMBER = "[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?";
    /** A number and a unit: anything but digits, signs, dots, commas, quotes and blanks. */
    private static final Pattern VALUE = Pattern.compile("(" + NUMBER + ")([^-+\\d.,;='\\s]*)");
    /** A range of the guidelines: {@code 10}, {@code 10:}, {@code ~:10}, {@code 10:20}, {@code @10:20}. */
    private static final Pattern RANGE = Pattern.compile("@?(?:(?:~|" + NUMBER + ")?:(?:" + NUMBER + ")?|" + NUMBER + ")");

    /** The items of a performance data string, in order; malformed items are skipped. */
    static List<PerfData> parseAll(String perfdata) {
        List<PerfData> out = new ArrayList<>();
        int n = perfdata.length();
        int i = 0;
        while (i < n) {
            while (i < n && Character.isWhitespace(perfdata.charAt(i))) {
                i++;
            }
            if (i == n) {
                break;
            }
            int start = i;
            StringBuilder label = new StringBuilder();
            if (perfdata.charAt(i) == '\'') {
                i = quotedLabel(perfdata, i, label);
                if (i < 0) {
                    i = nextBlank(perfdata, start);
                    continue;
                }
            } else {
                while (i < n && perfdata.charAt(i) != '=' && !Character.isWhitespace(perfdata.charAt(i))) {
                    label.append(perfdata.charAt(i++));
                }
            }
            if (i == n || perfdata.charAt(i) != '=') {
                i = nextBlank(perfdata, i);
                continue;
            }
            int end = nextBlank(perfdata, i);
            PerfData item = item(label.toString(), perfdata.substring(i + 1, end));
            if (item != null) {
                out.add(item);
            }
            i = end;
        }
        return out;
    }

    /** Reads the quoted label opening at {@code open} into {@code label}; the index after it, or -1 if unclosed. */
    private static int quotedLabel(String s, int open, StringBuilder label) {
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\'') {
                label.append(c);
            } else if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                label.append('\'');
                i++;
            } else {
                return i + 1;
            }
        }
        return -1;
    }

    private static int nextBlank(String s, int from) {
        int i = from;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The item of {@code label} and {@code value[UOM];warn;crit;min;max}, or null when it is malformed. */
    private static PerfData item(String label, String data) {
        if (label.isEmpty()) {
            return null;
        }
        String[] fields = data.split(";", -1);
        Double value = null;
        String uom = "";
        if (!fields[0].equals("U")) {
            Matcher m = VALUE.matcher(fields[0]);
            if (!m.matches()) {
                return null;
            }
            value = Double.parseDouble(m.group(1));
            uom = m.group(2);
            if (!Double.isFinite(value)) {
                return null;
            }
        }
        return new PerfData(label, value, uom, range(fields, 1), range(fields, 2), number(fields, 3),
                number(fields, 4));
    }

    private static String range(String[] fields, int index) {
        String s = index < fields.length ? fields[index].strip() : "";
        return RANGE.matcher(s).matches() ? s : "";
    }

    /** A minimum or maximum: a number, also when the plugin wrote its unit after it. */
    private static Double number(String[] fields, int index) {
        if (index >= fields.length) {
            return null;
        }
        Matcher m = VALUE.matcher(fields[index].strip());
        if (!m.matches()) {
            return null;
        }
        double d = Double.parseDouble(m.group(1));
        return Double.isFinite(d) ? d : null;
    }
}
