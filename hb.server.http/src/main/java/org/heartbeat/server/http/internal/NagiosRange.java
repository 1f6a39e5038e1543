package org.heartbeat.server.http.internal;

/**
 * A threshold range as the Nagios plugin guidelines define it: {@code 10} alerts outside 0..10, {@code 10:}
 * below 10, {@code ~:10} above 10, {@code 10:20} outside 10..20, and {@code @10:20} inside 10..20 (ends
 * included).
 */
record NagiosRange(double start, double end, boolean inside, String text) {

    static NagiosRange parse(String text) {
        String t = text.strip();
        boolean inside = t.startsWith("@");
        if (inside) {
            t = t.substring(1);
        }
        double start = 0;
        double end;
        int colon = t.indexOf(':');
        try {
            if (colon < 0) {
                end = Double.parseDouble(t);
            } else {
                String s = t.substring(0, colon);
                String e = t.substring(colon + 1);
                start = s.equals("~") ? Double.NEGATIVE_INFINITY : s.isEmpty() ? 0 : Double.parseDouble(s);
                end = e.isEmpty() ? Double.POSITIVE_INFINITY : Double.parseDouble(e);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a Nagios range: \"" + text
                    + "\" (examples: 80, 10:, ~:90, 10:20, @10:20)");
        }
        if (Double.isNaN(start) || Double.isNaN(end) || start > end) {
            throw new IllegalArgumentException("not a Nagios range: \"" + text + "\" (the start is above the end)");
        }
        return new NagiosRange(start, end, inside, text.strip());
    }

    /** Whether {@code value} raises an alert. */
    boolean alerts(double value) {
        boolean within = value >= start && value <= end;
        return inside == within;
    }

    @Override
    public String toString() {
        return text;
    }
}
